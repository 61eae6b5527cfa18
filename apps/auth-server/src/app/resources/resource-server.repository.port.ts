/** Persistence port for the registered resource servers (RFC 8707 resource indicators). */
export interface ResourceServerRepository {
  /** Inserts unless present; true if it was new. */
  insert(resource: string): Promise<boolean>;
  /** Every registered resource indicator. */
  list(): Promise<string[]>;
}

export const RESOURCE_SERVER_REPOSITORY = Symbol('RESOURCE_SERVER_REPOSITORY');
