import type Database from 'better-sqlite3';

/** Bumped when the tables change; a database written by a newer Chorus is refused rather than misread. */
export const SCHEMA_VERSION = 5;

/**
 * One row per model version. Document frequencies live in their own table keyed by content hash: they change
 * only after a statistics round, so twenty versions share one 4 MB blob instead of storing twenty copies.
 * Round metrics are keyed by the version the round produced, so a version and its metrics commit together.
 * server_state (schema 2) holds the server optimizer's state and the sampling generator after the newest version,
 * written in the same transaction as that version; older rows are deleted then, since only the newest is ever
 * resumed from and FedAdam's state alone is 16 MB at 2^20 buckets. A schema-1 file gains the table on open.
 * join_tokens (schema 3) holds `chorus token create`'s tokens as SHA-256 hashes (the tokens are 256 random bits,
 * so a plain hash cannot be brute-forced; a slow KDF would only slow every handshake). Revoked rows are kept with
 * their time so `chorus token list` shows them. Older files gain the table on open (CREATE IF NOT EXISTS).
 * server_state.norms and .center (schema 4) hold the aggregator's memory between rounds (the adaptive update bound's
 * recent norms, centered clipping's centre), committed with the version like the rest of the state; older files
 * gain the two columns on open (NULL in their rows: the memory then starts empty, as it did before).
 * quarantined_versions (schema 4): versions that failed their hash check when the server started, moved out of
 * model_versions (with their metrics) so that the federation goes on from the newest version that verifies; their
 * bytes are kept for a post-mortem.
 * server_state.privacy (schema 5): differential privacy's clip norm (adaptive clipping moves it) and the z, q and δ
 * that the stored rounds were accounted at, so a resumed federation clips where it left off and refuses other
 * accounting parameters; older files gain the column on open (NULL: C starts from its configured value).
 */
const DDL = `
CREATE TABLE IF NOT EXISTS doc_freqs (
  sha256      TEXT PRIMARY KEY,
  counts      BLOB NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS model_versions (
  version         INTEGER PRIMARY KEY,
  created_at      TEXT NOT NULL,
  manifest        TEXT NOT NULL,
  weights         BLOB NOT NULL,
  weights_sha256  TEXT NOT NULL,
  docfreq_sha256  TEXT NOT NULL REFERENCES doc_freqs(sha256),
  provenance      TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS rounds (
  round          INTEGER NOT NULL,
  model_version  INTEGER PRIMARY KEY REFERENCES model_versions(version),
  metrics        TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS server_state (
  model_version  INTEGER PRIMARY KEY REFERENCES model_versions(version),
  optimizer      TEXT NOT NULL,
  vectors        TEXT NOT NULL,
  data           BLOB NOT NULL,
  rng            TEXT NOT NULL,
  norms          TEXT,
  center         BLOB,
  privacy        TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS quarantined_versions (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  version         INTEGER NOT NULL,
  quarantined_at  TEXT NOT NULL,
  reason          TEXT NOT NULL,
  manifest        TEXT NOT NULL,
  weights         BLOB NOT NULL,
  docfreq_sha256  TEXT NOT NULL,
  provenance      TEXT NOT NULL,
  metrics         TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS join_tokens (
  label       TEXT PRIMARY KEY,
  sha256      TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at  TEXT NOT NULL,
  config      TEXT NOT NULL
) STRICT;
`;

/**
 * WAL lets the HTTP API read old versions while a round commits; synchronous=FULL makes every committed version
 * survive a power cut (in WAL mode NORMAL could lose the last commits). Writes are rare (one per round), so the
 * cost of FULL does not matter.
 */
export function prepareDatabase(db: Database.Database, file: string): void {
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`${file} was written by a newer Chorus (schema ${version}, this one knows ${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    db.exec(DDL);
    addMissingColumns(db, 'server_state', { norms: 'TEXT', center: 'BLOB', privacy: 'TEXT' });
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/** CREATE TABLE IF NOT EXISTS leaves an older table as it was: the columns added since are added here. */
function addMissingColumns(db: Database.Database, table: string, columns: Record<string, string>): void {
  const present = new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));
  for (const [name, type] of Object.entries(columns)) if (!present.has(name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
}
