import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An ISO 3166-1 country: alpha-3 code, upper-case English name. Read-only at run time. */
@Entity({ name: 'country' })
export class Country {
  @PrimaryColumn({ type: 'char', length: 3 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;
}
