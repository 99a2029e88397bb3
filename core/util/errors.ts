/**
 * Typed errors. Every error bt-lab raises on bad input is a BtLabError with a stable
 * `code` (for tests and scripts) and a `context` object (offsets, paths, peers) so the
 * one-line message a user sees can always be traced back to the byte or field at fault.
 */
export class BtLabError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;
  constructor(code: string, message: string, context: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}

/** Malformed bencode (BEP3-BENC-*). `offset` is the byte position where decoding failed. */
export class BencodeError extends BtLabError {
  readonly offset: number;
  constructor(reason: string, offset: number, extra: Record<string, unknown> = {}) {
    super('EBENCODE', `bencode: ${reason} at byte ${offset}`, { offset, reason, ...extra });
    this.offset = offset;
  }
}

/** A .torrent that decodes but breaks BEP3-META-* rules, or would write outside its folder. */
export class MetainfoError extends BtLabError {
  constructor(reason: string, context: Record<string, unknown> = {}) {
    super('EMETAINFO', `metainfo: ${reason}`, context);
  }
}

/** A magnet link that cannot be used (BEP9-MAG-*). */
export class MagnetError extends BtLabError {
  constructor(reason: string, context: Record<string, unknown> = {}) {
    super('EMAGNET', `magnet: ${reason}`, context);
  }
}

/** A peer broke the wire protocol; the connection is closed with this reason. */
export class ProtocolError extends BtLabError {
  constructor(reason: string, context: Record<string, unknown> = {}) {
    super('EPROTOCOL', `peer protocol: ${reason}`, context);
  }
}

/** A tracker answered with a failure or with a reply we cannot use. */
export class TrackerError extends BtLabError {
  constructor(reason: string, context: Record<string, unknown> = {}) {
    super('ETRACKER', `tracker: ${reason}`, context);
  }
}

/** Storage could not read, write or verify data. */
export class StorageError extends BtLabError {
  constructor(reason: string, context: Record<string, unknown> = {}) {
    super('ESTORAGE', `storage: ${reason}`, context);
  }
}

/** Malformed KRPC / DHT traffic (BEP5-KRPC-*); `krpcCode` is the 201–204 code to answer with. */
export class KrpcError extends BtLabError {
  readonly krpcCode: number;
  constructor(krpcCode: number, reason: string, context: Record<string, unknown> = {}) {
    super('EKRPC', `krpc ${krpcCode}: ${reason}`, { krpcCode, ...context });
    this.krpcCode = krpcCode;
  }
}
