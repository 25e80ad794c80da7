/**
 * Frames move through ports: the media clock, every 20 ms, reads one 160-sample frame from each
 * side of a connection and writes it into the other (pjmedia master-port style). The phone
 * line (cpe/hw), DSP stages, the conference mixer and RTP sessions are all MediaPorts.
 */
export interface FrameSource {
  /** The next 20 ms (160 samples) this port produces. */
  readFrame(): Int16Array;
}

export interface FrameSink {
  /** 20 ms for this port to consume. */
  writeFrame(frame: Int16Array): void;
}

export interface MediaPort extends FrameSource, FrameSink {}

/** A port that plays silence and swallows what it gets (an idle line, a muted leg). */
export class NullPort implements MediaPort {
  readFrame(): Int16Array {
    return new Int16Array(160);
  }
  writeFrame(): void {}
}

/** A port backed by arrays: plays `input` once then silence, records what it is given. For tests and file rendering. */
export class BufferPort implements MediaPort {
  private pos = 0;
  readonly recorded: Int16Array[] = [];
  constructor(private readonly input: Int16Array = new Int16Array(0)) {}
  readFrame(): Int16Array {
    const f = new Int16Array(160);
    f.set(this.input.subarray(this.pos, this.pos + 160));
    this.pos += 160;
    return f;
  }
  writeFrame(frame: Int16Array): void {
    this.recorded.push(Int16Array.from(frame));
  }
  /** Everything recorded, joined. */
  output(): Int16Array {
    const out = new Int16Array(this.recorded.length * 160);
    this.recorded.forEach((f, i) => out.set(f, i * 160));
    return out;
  }
}
