export interface Config {
  paved?: {
    scaffolder?: {
      /** Defaults of the PavedRepoUrlPicker form field (the Repository step of Paved's golden paths). */
      repository?: {
        /**
         * Host offered first and selected by default, when the field's allowedHosts lists it
         * (e.g. github.com, or the development sandbox's 127.0.0.1:7440).
         * @visibility frontend
         */
        host?: string;
        /**
         * Organisation (or user) filled in by default: where the company's repositories live.
         * @visibility frontend
         */
        owner?: string;
      };
    };
  };
}
