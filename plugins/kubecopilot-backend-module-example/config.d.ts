export interface Config {
  /** The example KubeCopilot module (`@kubecopilot/backstage-plugin-kubecopilot-backend-module-example`). */
  kubecopilotExample?: {
    certificates?: {
      /**
       * A certificate expiring within this many days is a warning. Default 14.
       */
      warnDays?: number;
      /**
       * Annotations of a TLS Secret that carry the certificate's expiry
       * (`notAfter`), read in order, e.g. the cert-check-controller's
       * `certcheck.amsy.dev/notAfter`. Default: that one.
       */
      expiryAnnotations?: string[];
    };
    /**
     * Calendar windows in which every plan is high risk, e.g. a year-end
     * freeze. `start` and `end` are ISO 8601 times.
     */
    changeFreezes?: Array<{
      name: string;
      start: string;
      end: string;
    }>;
  };
}
