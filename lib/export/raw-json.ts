/**
 * JSON text carried through the exporter without being parsed into objects (trajectory events: the largest
 * part of a session, and the exporter only needs their `type` and `name`). `serializeRecord` writes the text
 * as is; anything else that serialises the record (`JSON.stringify`) gets the parsed value.
 */
export class RawJson {
  constructor(readonly json: string) {}

  toJSON(): unknown {
    return JSON.parse(this.json) as unknown;
  }
}
