import { BadRequestException, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/**
 * Validates a parameter with a zod schema. Failures become 400 through the shared error filter
 * (`{"error":"invalid_request","error_description":"…"}`), naming the rule, never echoing input.
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (!result.success) {
      throw new BadRequestException(
        result.error.issues
          .map((issue) => (issue.code === 'invalid_type' ? `${issue.path.join('.')}: must be given once` : issue.message))
          .join('; '),
      );
    }
    return result.data;
  }
}
