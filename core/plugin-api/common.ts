/**
 * The plugin shape shared by pickers, chokers and peer sources (esbuild/vite style):
 * a factory with a namespaced name ('picker:rarest'), a one-line description and documented
 * options, returning an instance. Plugins are pure strategy: they see read-only views and a
 * Random handed in, never the host's sockets or clock.
 */
export interface OptionDoc {
  name: string;
  type: 'number' | 'string' | 'boolean';
  default?: number | string | boolean;
  describe: string;
}

export type PluginOptions = Record<string, number | string | boolean>;

export interface PluginMeta {
  /** Namespaced name, e.g. 'picker:rarest', 'choker:reference', 'source:http-tracker'. */
  name: string;
  /** One line for `bt-lab plugins`. */
  description: string;
  options?: OptionDoc[];
}
