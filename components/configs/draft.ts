/** A config being created in the browser: nothing is stored until its first save. */
export interface ConfigDraft {
  name: string;
  yaml: string;
  description: string;
  /** The config it was copied from, the base of its diff. */
  basedOn: string | null;
}
