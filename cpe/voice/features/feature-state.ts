/**
 * The line's runtime call-feature state set by star codes (*16/*17, *30/*31, *50/*51, *72/*73,
 * *78/*79, *90–*93) and remembered numbers (*69, `#` redial). Not settings: the star codes are
 * not one of the four writers of P-values (ARCHITECTURE.md), so this lives in the service's own
 * persisted state and survives reboots. `undefined` overrides mean "follow the P-value" (P183,
 * P65, P91).
 */

export interface FeatureState {
  /** *30 / *31: overrides P65 for all subsequent calls. */
  readonly cidBlock?: boolean;
  /** *16 / *17: overrides P183 (SRTP) for all subsequent calls. */
  readonly srtp?: boolean;
  /** *50 / *51: overrides P91 (true = call waiting disabled). */
  readonly cwDisabled?: boolean;
  readonly dnd: boolean;
  readonly forwardAll?: string;
  readonly forwardBusy?: string;
  readonly forwardNoAnswer?: string;
  /** *69: the last incoming caller's number or URI. */
  readonly lastIncoming?: string;
  /** `#` as first key redials this. */
  readonly lastDialed?: string;
}

export interface FeatureStore {
  get(): FeatureState;
  update(patch: Partial<FeatureState>): FeatureState;
}

export const NO_FEATURES: FeatureState = { dnd: false };

function merge(current: FeatureState, patch: Partial<FeatureState>): FeatureState {
  const next: Record<string, unknown> = { ...current, ...patch };
  // A patch value of undefined clears the field (cancel forward, follow the P-value again).
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  return next as unknown as FeatureState;
}

export class MemoryFeatureStore implements FeatureStore {
  private state: FeatureState;
  constructor(initial: FeatureState = NO_FEATURES) {
    this.state = initial;
  }
  get(): FeatureState {
    return this.state;
  }
  update(patch: Partial<FeatureState>): FeatureState {
    this.state = merge(this.state, patch);
    return this.state;
  }
}

/** Persisted through the store's serviceState(namespace) (JSON under one key per line). */
export interface JsonState {
  getJson<T>(key: string): T | undefined;
  setJson(key: string, value: unknown): void;
}

export class PersistedFeatureStore implements FeatureStore {
  private state: FeatureState;
  constructor(
    private readonly backing: JsonState,
    private readonly key: string,
  ) {
    let loaded: FeatureState | undefined;
    try {
      loaded = backing.getJson<FeatureState>(key);
    } catch {
      loaded = undefined; // unreadable JSON: start clean rather than fail the line
    }
    this.state = loaded && typeof loaded === 'object' ? { ...NO_FEATURES, ...loaded } : NO_FEATURES;
  }
  get(): FeatureState {
    return this.state;
  }
  update(patch: Partial<FeatureState>): FeatureState {
    this.state = merge(this.state, patch);
    this.backing.setJson(this.key, this.state);
    return this.state;
  }
}
