import Database from 'better-sqlite3';
import { fromModelFiles, toModelFiles, type ModelBundle, type ModelFiles } from '../../shared/model/model-bundle.ts';
import { roundMetricsSchema, type RoundMetrics } from '../../shared/protocol/messages.ts';
import type { ServerState } from '../federation/engine/server-state.ts';
import { crashPoint } from '../fault-injection/crash-point.ts';
import { prepareDatabase } from './schema.ts';
import { decodeServerState, encodeServerState, type ServerStateRow } from './server-state-codec.ts';

export const DEFAULT_DB_FILE = './chorus.db';

/** A version as listed (no blobs): enough for the dashboard's version table and the status API. */
export interface VersionInfo {
  modelVersion: number;
  createdAt: string;
  round: number | null;
  strategy: string | null;
  clients: number;
  examples: number;
  weightsSha256: string;
  docFreqSha256: string;
}

export class StorageError extends Error {}

interface VersionRow {
  version: number;
  created_at: string;
  manifest: string;
  weights: Uint8Array;
  counts: Uint8Array;
}

/**
 * Every model version the server ever made, with the metrics of the round that made it, in one SQLite file.
 * A version and its metrics are written in one transaction: after a crash a version is either fully there
 * (hash-verified on read) or absent, never half-written.
 */
export class ModelStore {
  private readonly db: Database.Database;

  private constructor(readonly file: string) {
    this.db = new Database(file);
    try {
      prepareDatabase(this.db, file);
    } catch (error) {
      this.db.close();
      throw new StorageError(`${file}: ${(error as Error).message}`);
    }
  }

  /** Opens (creating if needed) a store; `:memory:` gives a throwaway one for tests. */
  static open(file: string = DEFAULT_DB_FILE): ModelStore {
    try {
      return new ModelStore(file);
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw new StorageError(`cannot open database ${file}: ${(error as Error).message}`);
    }
  }

  /**
   * How this connection commits, as SQLite reports it: the commit path must be WAL with synchronous=FULL (schema.ts),
   * so that a version acknowledged as committed survives a crash or a power cut. Logged at start; checked by tests.
   */
  durability(): { journalMode: string; synchronous: string } {
    const journalMode = String(this.db.pragma('journal_mode', { simple: true }));
    const level = Number(this.db.pragma('synchronous', { simple: true }));
    return { journalMode, synchronous: ['off', 'normal', 'full', 'extra'][level] ?? String(level) };
  }

  latestVersionNumber(): number | null {
    const row = this.db.prepare('SELECT MAX(version) AS v FROM model_versions').get() as { v: number | null };
    return row.v;
  }

  /** The newest version, verified against its manifest hashes; null for an empty store. */
  latestVersion(): ModelBundle | null {
    const v = this.latestVersionNumber();
    return v === null ? null : this.getVersion(v);
  }

  /**
   * The newest version whose bytes verify against its manifest's hashes, and the newer ones that do not (newest
   * first, with why). Used on start, so that a torn or damaged newest version is never loaded and never skipped
   * silently: the caller reports and quarantines the corrupt ones.
   */
  newestVerifiedVersion(): { bundle: ModelBundle | null; corrupt: { version: number; reason: string }[] } {
    const corrupt: { version: number; reason: string }[] = [];
    const versions = this.db.prepare('SELECT version FROM model_versions ORDER BY version DESC').pluck().all() as number[];
    for (const version of versions) {
      try {
        const bundle = this.getVersion(version);
        if (bundle) return { bundle, corrupt };
      } catch (error) {
        if (!(error instanceof StorageError)) throw error;
        corrupt.push({ version, reason: error.message });
      }
    }
    return { bundle: null, corrupt };
  }

  /**
   * Moves the versions above `keep` (with their round metrics and server state) out of the live tables into
   * quarantined_versions, all in one transaction, so that the next round makes version `keep` + 1 again. Only for
   * versions that failed verification: nobody could load them, since every read verifies.
   */
  quarantineAbove(keep: number, reason: string): number[] {
    const move = this.db.transaction(() => {
      const moved = this.db.prepare('SELECT version FROM model_versions WHERE version > ? ORDER BY version').pluck().all(keep) as number[];
      this.db
        .prepare(
          `INSERT INTO quarantined_versions (version, quarantined_at, reason, manifest, weights, docfreq_sha256, provenance, metrics)
           SELECT v.version, ?, ?, v.manifest, v.weights, v.docfreq_sha256, v.provenance, r.metrics
           FROM model_versions v LEFT JOIN rounds r ON r.model_version = v.version WHERE v.version > ?`,
        )
        .run(new Date().toISOString(), reason, keep);
      this.db.prepare('DELETE FROM rounds WHERE model_version > ?').run(keep);
      this.db.prepare('DELETE FROM server_state WHERE model_version > ?').run(keep);
      this.db.prepare('DELETE FROM model_versions WHERE version > ?').run(keep);
      return moved;
    });
    return move();
  }

  getVersion(version: number): ModelBundle | null {
    const files = this.getVersionFiles(version);
    if (!files) return null;
    try {
      return fromModelFiles(files);
    } catch (error) {
      throw new StorageError(`${this.file}: model version ${version} is corrupt: ${(error as Error).message}`);
    }
  }

  /** The stored bytes of a version, as served over HTTP (not decoded). */
  getVersionFiles(version: number): ModelFiles | null {
    const row = this.db
      .prepare(
        `SELECT v.version, v.created_at, v.manifest, v.weights, d.counts
         FROM model_versions v JOIN doc_freqs d ON d.sha256 = v.docfreq_sha256 WHERE v.version = ?`,
      )
      .get(version) as VersionRow | undefined;
    if (!row) return null;
    return { manifest: row.manifest, weights: new Uint8Array(row.weights), docFreq: new Uint8Array(row.counts) };
  }

  listVersions(): VersionInfo[] {
    const rows = this.db
      .prepare('SELECT version, created_at, provenance, weights_sha256, docfreq_sha256 FROM model_versions ORDER BY version')
      .all() as { version: number; created_at: string; provenance: string; weights_sha256: string; docfreq_sha256: string }[];
    return rows.map((row) => versionInfo(row));
  }

  /**
   * Stores a version and, for a version made by a round, that round's metrics and the server state after it: all
   * or nothing, in one transaction. Refuses to overwrite an existing version (versions are immutable; their URLs
   * are cached forever).
   */
  saveVersion(bundle: ModelBundle, metrics: RoundMetrics | null, state: ServerState | null = null): void {
    const version = bundle.manifest.modelVersion;
    if (metrics) {
      const parsed = roundMetricsSchema.safeParse(metrics);
      if (!parsed.success) throw new StorageError(`round metrics are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      if (metrics.modelVersion !== version) throw new StorageError(`metrics are for version ${metrics.modelVersion}, the bundle is version ${version}`);
    }
    const files = toModelFiles(bundle);
    const insert = this.db.transaction(() => {
      this.db.prepare('INSERT OR IGNORE INTO doc_freqs (sha256, counts) VALUES (?, ?)').run(bundle.manifest.docFreq.sha256, files.docFreq);
      this.db
        .prepare(
          `INSERT INTO model_versions (version, created_at, manifest, weights, weights_sha256, docfreq_sha256, provenance)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(version, bundle.manifest.createdAt, files.manifest, files.weights, bundle.manifest.weightsSha256, bundle.manifest.docFreq.sha256, JSON.stringify(bundle.manifest.provenance));
      if (metrics) this.db.prepare('INSERT INTO rounds (round, model_version, metrics) VALUES (?, ?, ?)').run(metrics.round, version, JSON.stringify(metrics));
      if (state) {
        const row = encodeServerState(state);
        this.db
          .prepare('INSERT INTO server_state (model_version, optimizer, vectors, data, rng, norms, center, privacy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(version, row.optimizer, row.vectors, row.data, row.rng, row.norms, row.center, row.privacy);
        // Only the newest state is ever resumed from; the older ones would cost up to 16 MB a version.
        this.db.prepare('DELETE FROM server_state WHERE model_version < ?').run(version);
      }
      crashPoint('commit');
    });
    try {
      insert();
      crashPoint('after-commit');
    } catch (error) {
      const message = (error as Error).message;
      if (/UNIQUE|PRIMARY KEY/i.test(message)) throw new StorageError(`model version ${version} is already stored`);
      throw new StorageError(`cannot store model version ${version}: ${message}`);
    }
  }

  /**
   * The server state stored with the newest version, or null when that version has none (version 0, a seeded
   * model, or a database from before schema 2): the federation then starts its optimizer and sampling afresh.
   */
  latestServerState(): ServerState | null {
    const latest = this.latestVersionNumber();
    if (latest === null) return null;
    const row = this.db.prepare('SELECT optimizer, vectors, data, rng, norms, center, privacy FROM server_state WHERE model_version = ?').get(latest) as ServerStateRow | undefined;
    if (!row) return null;
    try {
      return decodeServerState({ ...row, data: new Uint8Array(row.data), center: row.center && new Uint8Array(row.center) });
    } catch (error) {
      throw new StorageError(`${this.file}: the server state of version ${latest} is corrupt: ${(error as Error).message}`);
    }
  }

  /** Metrics of every completed round, oldest first. */
  roundHistory(): RoundMetrics[] {
    const rows = this.db.prepare('SELECT model_version, metrics FROM rounds ORDER BY model_version').all() as { model_version: number; metrics: string }[];
    return rows.map((row) => {
      const parsed = roundMetricsSchema.safeParse(JSON.parse(row.metrics));
      if (!parsed.success) throw new StorageError(`${this.file}: metrics of version ${row.model_version} are corrupt`);
      return parsed.data;
    });
  }

  /** Records one server start and its configuration (for provenance); returns the run id. */
  recordRun(config: Record<string, unknown>): number {
    const result = this.db.prepare('INSERT INTO runs (started_at, config) VALUES (?, ?)').run(new Date().toISOString(), JSON.stringify(config));
    return Number(result.lastInsertRowid);
  }

  runs(): { id: number; startedAt: string; config: Record<string, unknown> }[] {
    const rows = this.db.prepare('SELECT id, started_at, config FROM runs ORDER BY id').all() as { id: number; started_at: string; config: string }[];
    return rows.map((r) => ({ id: r.id, startedAt: r.started_at, config: JSON.parse(r.config) as Record<string, unknown> }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function versionInfo(row: { version: number; created_at: string; provenance: string; weights_sha256: string; docfreq_sha256: string }): VersionInfo {
  const provenance = JSON.parse(row.provenance) as Record<string, unknown>;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    modelVersion: row.version,
    createdAt: row.created_at,
    round: num(provenance.round),
    strategy: typeof provenance.strategy === 'string' ? provenance.strategy : null,
    clients: num(provenance.clients) ?? 0,
    examples: num(provenance.examples) ?? 0,
    weightsSha256: row.weights_sha256,
    docFreqSha256: row.docfreq_sha256,
  };
}
