export interface Config {
  /** Configuration of the KubeCopilot plugins. */
  kubecopilot?: {
    /**
     * The LLM that writes diagnoses and plans from free-form intents. Without
     * one (`provider: none`, the default) the rule-based analyzers and the
     * deterministic intent parser answer alone.
     */
    llm?: {
      /**
       * `none` (default), `openai`, `azure-openai`, or `openai-compatible`
       * (any server speaking the OpenAI chat completions API, e.g. vLLM, Ollama).
       */
      provider?: 'none' | 'openai' | 'azure-openai' | 'openai-compatible';
      /**
       * API base URL. Required for `azure-openai` (the resource endpoint) and
       * `openai-compatible`; optional for `openai`.
       */
      baseUrl?: string;
      /**
       * API key.
       * @visibility secret
       */
      apiKey?: string;
      /** Model name (Azure: the deployment name). */
      model?: string;
      /** Deadline of one LLM request in milliseconds. */
      timeoutMs?: number;
      /** Retries of a failed LLM request (429, 5xx, connection errors). */
      maxRetries?: number;
      /** Token budget of the context sent with a diagnosis prompt. */
      maxPromptTokens?: number;
    };

    /** The risk engine. */
    risk?: {
      /** Namespaces whose plans are raised one risk level. */
      productionNamespaces?: string[];
    };

    /** Plan approval. */
    approval?: {
      /**
       * Risk levels at which a plan needs an approver other than its
       * requester. Default: `[high]`.
       */
      secondApproverFor?: Array<'low' | 'medium' | 'high'>;
    };

    /** Plan execution. */
    actions?: {
      /**
       * `action:Kind` pairs that may be executed, e.g. `restart:Deployment`.
       * Can only narrow the built-in whitelist, never widen it.
       */
      allow?: string[];
    };

    /** How KubeCopilot reaches clusters, through the Kubernetes backend plugin. */
    kubernetes?: {
      /**
       * Deadline of every request to the Kubernetes backend (one attempt),
       * in milliseconds. Default 10000.
       */
      timeoutMs?: number;
      /**
       * Retries of a read that failed with 429, a 5xx or a connection error,
       * with capped, jittered backoff honouring Retry-After. Writes are never
       * retried. Default 2.
       */
      readRetries?: number;
    };
  };
}
