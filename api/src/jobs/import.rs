//! Importing data·inclusion's `structures` and `services` files (JSON arrays, JSON lines or
//! CSV), streamed row by row: the file is never loaded whole, rows are written in batches
//! (one transaction each), a bad row is rejected with its reasons and never stops the rest.
//! Used by `sas import-offer FILE…` and by the `offer.import` job of an upload.
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::mpsc;

use api_types::{FieldError, ServiceInput, ServiceStatus};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::de::{DeserializeSeed, Error as _, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::db::imports::{self, Known};
use crate::db::services::{self, EventDraft, ServiceRow};
use crate::db::structures::{self, StructureRow};
use crate::domain::service as service_rules;
use crate::domain::service::import::{self as rules, FileKind, ServiceRecord, StructureRecord};
use crate::ids::StructureId;

/// Rows per transaction.
const BATCH: usize = 500;
/// Rejected rows kept in a report (the counts are always exact).
pub const MAX_REJECTED_LISTED: usize = 1_000;

/// One rejected row: where it is, its id when it has one, and why.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Rejected {
    pub file: String,
    /// 1-based row number in the file (the header of a CSV is not a row).
    pub row: u64,
    pub id: Option<String>,
    pub reason: String,
}

/// What an import did (exact counts; rejected rows listed up to [`MAX_REJECTED_LISTED`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub suspended: u64,
    pub rejected_rows: Vec<Rejected>,
}

impl Report {
    /// The counts alone (no rejected row listed).
    fn counts(&self) -> Report {
        Report {
            rows: self.rows,
            created: self.created,
            updated: self.updated,
            unchanged: self.unchanged,
            rejected: self.rejected,
            suspended: self.suspended,
            rejected_rows: Vec::new(),
        }
    }

    fn reject(&mut self, r: Rejected) {
        self.rejected += 1;
        if self.rejected_rows.len() < MAX_REJECTED_LISTED {
            self.rejected_rows.push(r);
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0}: {1}")]
    Format(String, String),
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
}

/// Counts bytes read (the progress of an import is the share of its file read).
struct Counting<R> {
    inner: R,
    read: u64,
    on_progress: Box<dyn FnMut(u64)>,
    reported: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read - self.reported >= 1 << 20 || n == 0 {
            self.reported = self.read;
            (self.on_progress)(self.read);
        }
        Ok(n)
    }
}

/// What receives each row: its number and the row, or why it is not one.
pub type RowSink<'a> =
    dyn FnMut(u64, Result<Map<String, Value>, String>) -> Result<(), ImportError> + 'a;

/// Calls `each(row_number, record)` for every row of `path`, in order, reading it as it goes.
/// A row that is not an object is given as `Err(reason)`.
pub fn read_rows(
    path: &Path,
    on_progress: Box<dyn FnMut(u64)>,
    each: &mut RowSink<'_>,
) -> Result<(), ImportError> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| ImportError::Io(name.clone(), e))?;
    let mut reader = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: file,
            read: 0,
            on_progress,
            reported: 0,
        },
    );
    let first = loop {
        let buf = reader
            .fill_buf()
            .map_err(|e| ImportError::Io(name.clone(), e))?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                reader.consume(i);
                break Some(b);
            }
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    match first {
        None => Ok(()),
        Some(b'[') => read_json_array(reader, &name, each),
        Some(b'{') => read_json_lines(reader, &name, each),
        Some(_) => read_csv(reader, &name, each),
    }
}

fn object(v: Value) -> Result<Map<String, Value>, String> {
    match v {
        Value::Object(m) => Ok(m),
        _ => Err("row: not_an_object".into()),
    }
}

struct Each<'a> {
    each: &'a mut RowSink<'a>,
    failed: &'a mut Option<ImportError>,
}

impl<'de> Visitor<'de> for Each<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array of rows")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0;
        while let Some(v) = seq.next_element::<Value>()? {
            n += 1;
            if let Err(e) = (self.each)(n, object(v)) {
                *self.failed = Some(e);
                return Err(A::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Each<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

fn read_json_array(
    reader: impl Read,
    name: &str,
    each: &mut RowSink<'_>,
) -> Result<(), ImportError> {
    let mut failed = None;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let r = Each {
        each,
        failed: &mut failed,
    }
    .deserialize(&mut de);
    if let Some(e) = failed {
        return Err(e);
    }
    r.and_then(|()| de.end())
        .map_err(|e| ImportError::Format(name.into(), e.to_string()))
}

fn read_json_lines(
    reader: impl BufRead,
    name: &str,
    each: &mut RowSink<'_>,
) -> Result<(), ImportError> {
    let mut n = 0;
    for line in reader.lines() {
        let line = line.map_err(|e| ImportError::Io(name.into(), e))?;
        if line.trim().is_empty() {
            continue;
        }
        n += 1;
        let row = serde_json::from_str::<Value>(&line)
            .map_err(|_| "row: invalid_json".to_string())
            .and_then(object);
        each(n, row)?;
    }
    Ok(())
}

fn read_csv(reader: impl Read, name: &str, each: &mut RowSink<'_>) -> Result<(), ImportError> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| ImportError::Format(name.into(), e.to_string()))?
        .clone();
    let mut n = 0;
    let mut record = csv::StringRecord::new();
    loop {
        n += 1;
        match csv.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let m: Map<String, Value> = headers
                    .iter()
                    .zip(record.iter())
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(h, v)| (h.trim().to_string(), Value::String(v.to_string())))
                    .collect();
                each(n, Ok(m))?;
            }
            Err(e) if e.is_io_error() => {
                return Err(ImportError::Format(name.into(), e.to_string()));
            }
            Err(_) => each(n, Err("row: invalid_csv".into()))?,
        }
    }
}

/// An import over one or more files, with what it loads once (zones, communes, structures).
pub struct Importer {
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    zones: HashSet<String>,
    communes: HashMap<String, (f64, f64)>,
    structures: HashMap<(String, String), Known>,
    sources_seen: BTreeSet<String>,
    /// The batch's services already there, by (source, id), read in one statement.
    existing: HashMap<(String, String), ServiceRow>,
    /// The batch's unchanged services, marked seen in one statement.
    seen: Vec<Uuid>,
    /// The batch's services an earlier import suspended as missing: listed again, they are
    /// published again (a service its owner suspended stays suspended).
    returning: HashSet<Uuid>,
    /// While a batch is written whole: its new services, inserted in one statement at its
    /// end (row by row, after a refusal, each is inserted at once).
    deferred: bool,
    new_rows: Vec<ServiceRow>,
    /// The batch's structures already stored (or written by the batch), by (source, id),
    /// read in one statement per source.
    st_existing: HashMap<(String, String), StructureRow>,
    /// The structures with one of the batch's SIRETs and their source (`None`: none yet),
    /// read in one statement and kept up to date as the batch writes.
    st_siret: HashMap<String, Vec<(StructureRow, Option<String>)>>,
    /// While a batch is written whole: its new structures with their (source, id), inserted
    /// in one statement before its services; where each is, by (source, id).
    new_structures: Vec<(StructureRow, String, String)>,
    new_structure_at: HashMap<(String, String), usize>,
    pub report: Report,
}

enum Parsed {
    Structure(Box<StructureRecord>),
    Service(Box<ServiceRecord>),
}

struct Pending {
    file: String,
    row: u64,
    parsed: Parsed,
}

/// Where an error of the writer threads is told.
const WRITER: &str = "import writer";
const WRITER_GONE: &str = "a writer thread stopped";

/// Threads writing batches of services, each on its own connection, while the importer
/// reads the next rows: Postgres's work on two backends (the machine's two cores) instead
/// of one, and the reading and checking done meanwhile. Each holds one batch at most.
struct Writers {
    to: Vec<mpsc::SyncSender<Vec<Pending>>>,
    done: mpsc::Receiver<Done>,
    /// The services of the batch each writer holds, by (source, id).
    busy: Vec<Option<HashSet<(String, String)>>>,
    /// Writing here from now on (a batch of structures was).
    serial: bool,
}

/// A writer's batch written: its report and the sources it saw.
struct Done {
    writer: usize,
    result: Result<(Report, BTreeSet<String>), ImportError>,
}

/// Tells the importer a writer stopped by a panic (it would otherwise wait for it).
struct Gone(usize, mpsc::Sender<Done>);

impl Drop for Gone {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = self.1.send(Done {
                writer: self.0,
                result: Err(ImportError::Format(WRITER.into(), WRITER_GONE.into())),
            });
        }
    }
}

impl Writers {
    fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        importer: &Importer,
        conns: &'scope mut [&mut PgConnection],
    ) -> Writers {
        let (done_tx, done) = mpsc::channel();
        let mut to = Vec::new();
        for (i, conn) in conns.iter_mut().enumerate() {
            let (tx, rx) = mpsc::sync_channel::<Vec<Pending>>(1);
            let mut w = importer.for_writer();
            let gone = Gone(i, done_tx.clone());
            scope.spawn(move || {
                for batch in rx {
                    let result = w.write(conn, batch).map(|()| {
                        (
                            std::mem::take(&mut w.report),
                            std::mem::take(&mut w.sources_seen),
                        )
                    });
                    if gone.1.send(Done { writer: i, result }).is_err() {
                        break;
                    }
                }
            });
            to.push(tx);
        }
        Writers {
            busy: vec![None; to.len()],
            to,
            done,
            serial: false,
        }
    }
}

impl Importer {
    pub fn new(
        conn: &mut PgConnection,
        now: DateTime<Utc>,
        actor: Option<Uuid>,
    ) -> Result<Importer, ImportError> {
        Ok(Importer {
            now,
            actor,
            zones: imports::known_zone_codes(conn)?,
            communes: imports::commune_positions(conn)?,
            structures: imports::sourced_structures(conn)?,
            sources_seen: BTreeSet::new(),
            existing: HashMap::new(),
            seen: Vec::new(),
            returning: HashSet::new(),
            deferred: false,
            new_rows: Vec::new(),
            st_existing: HashMap::new(),
            st_siret: HashMap::new(),
            new_structures: Vec::new(),
            new_structure_at: HashMap::new(),
            report: Report::default(),
        })
    }

    /// Imports one file; `on_progress` gets the bytes read so far, `on_batch` the report
    /// after each batch written. With `writers` (more connections), the batches of services
    /// are written by one thread each while this one reads and checks the next rows (see
    /// [`Writers`]); without, each batch is written here as it fills.
    pub fn file(
        &mut self,
        conn: &mut PgConnection,
        writers: &mut [&mut PgConnection],
        path: &Path,
        on_progress: Box<dyn FnMut(u64)>,
        on_batch: &mut dyn FnMut(&mut PgConnection, &Report) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let listed_before = self.report.rejected_rows.len();
        std::thread::scope(|scope| {
            let mut pool = Writers::start(scope, self, writers);
            let mut batch: Vec<Pending> = Vec::with_capacity(BATCH);
            let read = read_rows(path, on_progress, &mut |row, record| {
                self.report.rows += 1;
                let parsed = record.map_err(|r| (None, r)).and_then(|m| {
                    let id = m.get("id").and_then(|v| v.as_str()).map(str::to_string);
                    let p = match FileKind::of(&m) {
                        FileKind::Structures => {
                            rules::structure(&m).map(|r| Parsed::Structure(Box::new(r)))
                        }
                        FileKind::Services => {
                            rules::service(&m).map(|r| Parsed::Service(Box::new(r)))
                        }
                    };
                    p.map_err(|e| (id, rules::reasons(&e)))
                });
                match parsed {
                    Ok(parsed) => batch.push(Pending {
                        file: name.clone(),
                        row,
                        parsed,
                    }),
                    Err((id, reason)) => self.report.reject(Rejected {
                        file: name.clone(),
                        row,
                        id,
                        reason,
                    }),
                }
                if batch.len() >= BATCH {
                    self.dispatch(conn, &mut pool, std::mem::take(&mut batch), on_batch)?;
                }
                Ok(())
            });
            let r = read
                .and_then(|()| self.dispatch(conn, &mut pool, batch, on_batch))
                .and_then(|()| self.drain(conn, &mut pool, on_batch));
            if r.is_err() {
                // The batches the writers hold are written all the same: counted.
                let _ = self.drain(conn, &mut pool, on_batch);
            }
            r
        })?;
        // Rows rejected on reading and on writing, in the file's order.
        self.report.rejected_rows[listed_before..].sort_by_key(|r| r.row);
        on_batch(conn, &self.report)?;
        Ok(())
    }

    /// A full batch: written by an idle writer when it holds services only, none of them
    /// in a batch still being written (the same service twice in a file is written in the
    /// file's order); otherwise here, once the writers are done — and, after a batch of
    /// structures, here for the rest of the file (the writers' structures are the file's
    /// start's).
    fn dispatch(
        &mut self,
        conn: &mut PgConnection,
        pool: &mut Writers,
        batch: Vec<Pending>,
        on_batch: &mut dyn FnMut(&mut PgConnection, &Report) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        if batch.is_empty() {
            return Ok(());
        }
        let services_only = batch.iter().all(|p| matches!(p.parsed, Parsed::Service(_)));
        if pool.to.is_empty() || pool.serial || !services_only {
            pool.serial = true;
            self.drain(conn, pool, on_batch)?;
            self.write(conn, batch)?;
            return on_batch(conn, &self.report);
        }
        let keys: HashSet<(String, String)> = batch
            .iter()
            .filter_map(|p| match &p.parsed {
                Parsed::Service(s) => Some((s.source.clone(), s.id.clone())),
                Parsed::Structure(_) => None,
            })
            .collect();
        if pool.busy.iter().flatten().any(|k| !k.is_disjoint(&keys)) {
            self.drain(conn, pool, on_batch)?;
        }
        let idle = loop {
            if let Some(i) = pool.busy.iter().position(Option::is_none) {
                break i;
            }
            self.take_one(conn, pool, on_batch)?;
        };
        pool.busy[idle] = Some(keys);
        pool.to[idle]
            .send(batch)
            .map_err(|_| ImportError::Format(WRITER.into(), WRITER_GONE.into()))
    }

    /// Waits for one writer's batch and adds what it did to the report.
    fn take_one(
        &mut self,
        conn: &mut PgConnection,
        pool: &mut Writers,
        on_batch: &mut dyn FnMut(&mut PgConnection, &Report) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let done = pool
            .done
            .recv()
            .map_err(|_| ImportError::Format(WRITER.into(), WRITER_GONE.into()))?;
        pool.busy[done.writer] = None;
        let (report, seen) = done.result?;
        self.merge(report, seen);
        on_batch(conn, &self.report)
    }

    /// Waits for every batch given to the writers.
    fn drain(
        &mut self,
        conn: &mut PgConnection,
        pool: &mut Writers,
        on_batch: &mut dyn FnMut(&mut PgConnection, &Report) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        while pool.busy.iter().any(Option::is_some) {
            self.take_one(conn, pool, on_batch)?;
        }
        Ok(())
    }

    /// Adds a writer's batch (its report and the sources it saw) to this import's.
    fn merge(&mut self, r: Report, seen: BTreeSet<String>) {
        self.report.created += r.created;
        self.report.updated += r.updated;
        self.report.unchanged += r.unchanged;
        self.report.rejected += r.rejected;
        self.report.suspended += r.suspended;
        let room = MAX_REJECTED_LISTED.saturating_sub(self.report.rejected_rows.len());
        self.report
            .rejected_rows
            .extend(r.rejected_rows.into_iter().take(room));
        self.sources_seen.extend(seen);
    }

    /// An importer for a writer thread: what this one loaded (zones, communes, the
    /// structures known so far), nothing of its batches, an empty report.
    fn for_writer(&self) -> Importer {
        Importer {
            now: self.now,
            actor: self.actor,
            zones: self.zones.clone(),
            communes: self.communes.clone(),
            structures: self.structures.clone(),
            sources_seen: BTreeSet::new(),
            existing: HashMap::new(),
            seen: Vec::new(),
            returning: HashSet::new(),
            deferred: false,
            new_rows: Vec::new(),
            st_existing: HashMap::new(),
            st_siret: HashMap::new(),
            new_structures: Vec::new(),
            new_structure_at: HashMap::new(),
            report: Report::default(),
        }
    }

    /// After the last file: the published services of every source seen that this import
    /// did not list are suspended.
    pub fn finish(&mut self, conn: &mut PgConnection) -> Result<(), ImportError> {
        if self.sources_seen.is_empty() {
            return Ok(());
        }
        let sources: Vec<String> = self.sources_seen.iter().cloned().collect();
        let (now, actor) = (self.now, self.actor);
        let n = conn.transaction(|conn| {
            let gone = services::suspend_missing(conn, sources, now, now)?;
            for s in &gone {
                services::record(
                    conn,
                    &EventDraft {
                        service: s.id,
                        kind: "suspended",
                        from: Some(ServiceStatus::Published),
                        to: ServiceStatus::Suspended,
                        user: actor,
                        client: None,
                        at: now,
                        version: s.version,
                    },
                )?;
            }
            diesel::QueryResult::Ok(gone.len())
        })?;
        self.report.suspended += n as u64;
        Ok(())
    }

    /// Writes a batch in one transaction; if the database refuses one of its rows, the
    /// batch is written again row by row, each in a savepoint, and that row is rejected.
    fn write(&mut self, conn: &mut PgConnection, batch: Vec<Pending>) -> Result<(), ImportError> {
        if batch.is_empty() {
            return Ok(());
        }
        // What to restore if the batch is written again row by row: the counts and the
        // rejected rows listed so far (the batch only adds to them), and the structures
        // known when the batch has structures (a batch of services only reads them).
        let has_structures = batch
            .iter()
            .any(|p| matches!(p.parsed, Parsed::Structure(_)));
        let saved = (
            self.report.counts(),
            self.report.rejected_rows.len(),
            has_structures.then(|| self.structures.clone()),
        );
        self.deferred = true;
        let whole = conn.transaction(|conn| {
            self.prefetch(conn, &batch)?;
            for p in &batch {
                if let Err(reason) = self.one(conn, p)? {
                    self.reject(p, reason);
                }
            }
            self.insert_new(conn)?;
            services::touch_seen(conn, std::mem::take(&mut self.seen), self.now)?;
            diesel::QueryResult::Ok(())
        });
        if whole.is_ok() {
            return Ok(());
        }
        let (counts, listed, structures) = saved;
        self.report.rejected_rows.truncate(listed);
        self.report = Report {
            rejected_rows: std::mem::take(&mut self.report.rejected_rows),
            ..counts
        };
        if let Some(structures) = structures {
            self.structures = structures;
        }
        self.seen.clear();
        self.new_rows.clear();
        self.new_structures.clear();
        self.new_structure_at.clear();
        self.deferred = false;
        conn.transaction(|conn| {
            self.prefetch(conn, &batch)?;
            for p in &batch {
                let r = conn.transaction(|conn| self.one(conn, p));
                match r {
                    Ok(Ok(())) => {}
                    Ok(Err(reason)) => self.reject(p, reason),
                    Err(e) => self.reject(p, format!("row: refused ({e})")),
                }
            }
            services::touch_seen(conn, std::mem::take(&mut self.seen), self.now)?;
            diesel::QueryResult::Ok(())
        })?;
        Ok(())
    }

    /// The batch's new structures, then its new services and their events, one statement
    /// each.
    fn insert_new(&mut self, conn: &mut PgConnection) -> QueryResult<()> {
        imports::insert_sourced(conn, &std::mem::take(&mut self.new_structures))?;
        self.new_structure_at.clear();
        let rows = std::mem::take(&mut self.new_rows);
        services::insert_many(conn, &rows)?;
        let events: Vec<EventDraft> = rows
            .iter()
            .map(|r| self.event(r, "created", None))
            .collect();
        services::record_many(conn, &events)?;
        Ok(())
    }

    /// Reads the batch's structures already stored (one statement per source, one for their
    /// SIRETs) and its services already stored (one statement per source).
    fn prefetch(&mut self, conn: &mut PgConnection, batch: &[Pending]) -> QueryResult<()> {
        self.st_existing.clear();
        self.st_siret.clear();
        let mut st_by_source: HashMap<&str, Vec<String>> = HashMap::new();
        let mut sirets: Vec<String> = Vec::new();
        for p in batch {
            if let Parsed::Structure(s) = &p.parsed {
                st_by_source
                    .entry(&s.source)
                    .or_default()
                    .push(s.id.clone());
                sirets.extend(s.siret.clone());
            }
        }
        for (source, ids) in st_by_source {
            for (row, id) in imports::structures_by_source(conn, source, &ids)? {
                if let Some(id) = id {
                    self.st_existing.insert((source.to_string(), id), row);
                }
            }
        }
        if !sirets.is_empty() {
            for (row, source) in imports::structures_by_sirets(conn, &sirets)? {
                if let Some(siret) = row.siret.clone() {
                    self.st_siret.entry(siret).or_default().push((row, source));
                }
            }
        }
        self.existing.clear();
        let mut by_source: HashMap<&str, Vec<String>> = HashMap::new();
        for p in batch {
            if let Parsed::Service(s) = &p.parsed {
                by_source.entry(&s.source).or_default().push(s.id.clone());
            }
        }
        for (source, ids) in by_source {
            for row in services::by_source_ids(conn, source, ids)? {
                if let Some(id) = row.source_id.clone() {
                    self.existing.insert((row.source.clone(), id), row);
                }
            }
        }
        let suspended: Vec<Uuid> = self
            .existing
            .values()
            .filter(|r| r.status == ServiceStatus::Suspended)
            .map(|r| r.id.uuid())
            .collect();
        self.returning = if suspended.is_empty() {
            HashSet::new()
        } else {
            services::suspended_missing(conn, suspended)?
                .into_iter()
                .collect()
        };
        Ok(())
    }

    fn reject(&mut self, p: &Pending, reason: String) {
        let id = match &p.parsed {
            Parsed::Structure(s) => s.id.clone(),
            Parsed::Service(s) => s.id.clone(),
        };
        self.report.reject(Rejected {
            file: p.file.clone(),
            row: p.row,
            id: Some(id),
            reason,
        });
    }

    /// One row: `Ok(Err(reason))` when it is rejected for what the database knows.
    fn one(&mut self, conn: &mut PgConnection, p: &Pending) -> QueryResult<Result<(), String>> {
        match &p.parsed {
            Parsed::Structure(s) => self.structure(conn, s),
            Parsed::Service(s) => self.service(conn, s),
        }
    }

    fn structure(
        &mut self,
        conn: &mut PgConnection,
        s: &StructureRecord,
    ) -> QueryResult<Result<(), String>> {
        let commune = s
            .code_insee
            .as_ref()
            .filter(|c| self.communes.contains_key(*c))
            .cloned();
        let position = s
            .latitude
            .zip(s.longitude)
            .or_else(|| commune.as_ref().and_then(|c| self.communes.get(c).copied()));
        let apply = |row: &mut StructureRow| {
            row.name = s.nom.clone();
            row.siret = s.siret.clone();
            row.address = s.adresse.clone();
            row.postal_code = s.code_postal.clone();
            row.commune_insee = commune.clone();
            row.latitude = position.map(|p| p.0);
            row.longitude = position.map(|p| p.1);
            row.phone = s.telephone.clone();
            row.email = s.courriel.clone();
            row.website = s.site_web.clone();
            row.opening_hours = s.horaires_accueil.clone();
            row.reseaux_porteurs = s.reseaux_porteurs.clone();
        };
        let key = (s.source.clone(), s.id.clone());
        let found = match self.st_existing.get(&key).cloned() {
            Some(row) => Some(row),
            None => match s.siret.as_deref() {
                Some(siret) => match self.by_siret(siret) {
                    Some((row, None)) => {
                        imports::set_source(conn, row.id, &s.source, &s.id)?;
                        Some(row)
                    }
                    // Already another source's: the same organisation, known twice there.
                    Some((row, Some(_))) => {
                        self.structures
                            .insert(key, (row.id, row.latitude.zip(row.longitude)));
                        self.report.unchanged += 1;
                        return Ok(Ok(()));
                    }
                    None => None,
                },
                None => None,
            },
        };
        match found {
            Some(old) => {
                let mut row = old.clone();
                apply(&mut row);
                let changed = format!("{row:?}") != format!("{old:?}");
                if changed {
                    row.updated_at = self.now;
                    row.version = old.version + 1;
                    match self.new_structure_at.get(&key) {
                        // Written earlier in this batch, not inserted yet.
                        Some(&i) => self.new_structures[i].0 = row.clone(),
                        None => {
                            structures::update(conn, &row, old.version)?;
                        }
                    }
                    self.report.updated += 1;
                } else {
                    self.report.unchanged += 1;
                }
                self.remember(key, old.siret.as_deref(), row);
            }
            None => {
                let mut row = StructureRow {
                    id: Uuid::now_v7(),
                    name: String::new(),
                    kind: s.kind.clone(),
                    siret: None,
                    address: None,
                    postal_code: None,
                    commune_insee: None,
                    latitude: None,
                    longitude: None,
                    phone: None,
                    email: None,
                    website: None,
                    opening_hours: None,
                    reseaux_porteurs: Vec::new(),
                    prescriber: false,
                    receiver: true,
                    sas_team: false,
                    sensitive: false,
                    territory_id: None,
                    created_at: self.now,
                    updated_at: self.now,
                    version: 1,
                };
                apply(&mut row);
                let new = (row.clone(), s.source.clone(), s.id.clone());
                if self.deferred {
                    self.new_structure_at
                        .insert(key.clone(), self.new_structures.len());
                    self.new_structures.push(new);
                } else {
                    imports::insert_sourced(conn, &[new])?;
                }
                self.report.created += 1;
                self.remember(key, None, row);
            }
        }
        Ok(Ok(()))
    }

    /// The structure an import matches on `siret` when it knows none by source: the oldest
    /// without a source, else any (as [`imports::structure_by_siret`] orders them), among
    /// those read for the batch and those the batch wrote.
    fn by_siret(&self, siret: &str) -> Option<(StructureRow, Option<String>)> {
        self.st_siret
            .get(siret)?
            .iter()
            .min_by_key(|(r, source)| (source.is_some(), r.created_at, r.id))
            .cloned()
    }

    /// `row` as this batch wrote it, for the source's (source, id) `key`: what the next
    /// rows of the batch match, by source or by SIRET, and what its services name.
    fn remember(&mut self, key: (String, String), old_siret: Option<&str>, row: StructureRow) {
        if let Some(list) = old_siret.and_then(|s| self.st_siret.get_mut(s)) {
            list.retain(|(r, _)| r.id != row.id);
        }
        if let Some(siret) = row.siret.clone() {
            self.st_siret
                .entry(siret)
                .or_default()
                .push((row.clone(), Some(key.0.clone())));
        }
        self.structures
            .insert(key.clone(), (row.id, row.latitude.zip(row.longitude)));
        self.st_existing.insert(key, row);
    }

    fn service(
        &mut self,
        conn: &mut PgConnection,
        s: &ServiceRecord,
    ) -> QueryResult<Result<(), String>> {
        let mut errs: Vec<FieldError> = Vec::new();
        let structure = self
            .structures
            .get(&(s.source.clone(), s.structure_id.clone()))
            .copied();
        if structure.is_none() {
            errs.push(FieldError::new(
                "structure_id",
                "unknown_structure",
                "No structure of this source has this id.",
            ));
        }
        if let Some(c) = &s.input.code_insee {
            if !self.communes.contains_key(c) {
                errs.push(FieldError::new(
                    "code_insee",
                    "unknown_commune",
                    "No such commune.",
                ));
            }
        }
        for (i, z) in s.input.zone_eligibilite.iter().enumerate() {
            if !self.zones.contains(z) {
                errs.push(FieldError::new(
                    format!("zone_eligibilite[{i}]"),
                    "unknown_zone",
                    "No such area.",
                ));
            }
        }
        let Some((structure_id, structure_position)) = structure.filter(|_| errs.is_empty()) else {
            return Ok(Err(rules::reasons(&errs)));
        };
        self.sources_seen.insert(s.source.clone());
        let incoming = source_values(s, structure_id);
        let old = self.existing.remove(&(s.source.clone(), s.id.clone()));
        let now = self.now;
        let Some(old) = old else {
            let mut row = to_row(
                &s.input,
                structure_id,
                self.position(&s.input, structure_position),
                now,
            );
            row.source = s.source.clone();
            row.source_id = Some(s.id.clone());
            row.date_maj = s.date_maj.unwrap_or_else(|| now.date_naive());
            row.source_values = Some(incoming);
            row.source_seen_at = Some(now);
            let publishable =
                service_rules::publication_gaps(&s.input.modes_accueil, row.latitude.is_some())
                    .is_empty();
            if publishable {
                row.status = ServiceStatus::Published;
            }
            if self.deferred {
                self.new_rows.push(row);
            } else {
                let row = services::insert(conn, &row)?;
                services::record(conn, &self.event(&row, "created", None))?;
            }
            self.report.created += 1;
            return Ok(Ok(()));
        };
        let returning = self.returning.contains(&old.id.uuid());
        if old.source_values.as_ref() == Some(&incoming) && !returning {
            self.seen.push(old.id.uuid());
            self.report.unchanged += 1;
            return Ok(Ok(()));
        }
        let empty = Map::new();
        let incoming_fields = fields(&incoming).unwrap_or(&empty);
        let last = old.source_values.as_ref().and_then(fields);
        let (merged, still) = rules::merge(
            incoming_fields,
            &current_fields(&old),
            last,
            &old.locally_edited,
        );
        let Ok(input) = serde_json::from_value::<ServiceInput>(Value::Object(merged)) else {
            return Ok(Err("row: invalid_merge".into()));
        };
        let mut row = to_row(
            &input,
            structure_id,
            self.position(&input, structure_position),
            now,
        );
        row.id = old.id;
        row.source = old.source.clone();
        row.source_id = old.source_id.clone();
        row.status = old.status;
        if returning
            && service_rules::publication_gaps(&input.modes_accueil, row.latitude.is_some())
                .is_empty()
        {
            row.status = ServiceStatus::Published;
        }
        row.places_available = old.places_available;
        row.places_maximum = old.places_maximum;
        row.places_updated_at = old.places_updated_at;
        row.age_min = old.age_min;
        row.age_max = old.age_max;
        row.date_maj = s.date_maj.unwrap_or(old.date_maj);
        row.source_values = Some(incoming);
        row.locally_edited = still;
        row.source_seen_at = Some(now);
        row.created_at = old.created_at;
        row.version = old.version + 1;
        let saved = services::update(conn, &row, old.version)?;
        if let Some(saved) = saved {
            services::record(conn, &self.event(&saved, "updated", Some(old.status)))?;
        }
        self.report.updated += 1;
        Ok(Ok(()))
    }

    fn position(&self, input: &ServiceInput, structure: Option<(f64, f64)>) -> Option<(f64, f64)> {
        input
            .latitude
            .zip(input.longitude)
            .or_else(|| {
                input
                    .code_insee
                    .as_ref()
                    .and_then(|c| self.communes.get(c).copied())
            })
            .or(structure)
    }

    fn event<'a>(
        &self,
        row: &ServiceRow,
        kind: &'a str,
        from: Option<ServiceStatus>,
    ) -> EventDraft<'a> {
        EventDraft {
            service: row.id,
            kind,
            from,
            to: row.status,
            user: self.actor,
            client: None,
            at: self.now,
            version: row.version,
        }
    }
}

/// What the source said of a service, as stored in `source_values`: its fields (a
/// `ServiceInput`), its structure and its `date_maj`.
fn source_values(s: &ServiceRecord, structure: Uuid) -> Value {
    serde_json::json!({
        "fields": serde_json::to_value(&s.input).unwrap_or(Value::Null),
        "structure_id": structure,
        "date_maj": s.date_maj,
    })
}

fn fields(v: &Value) -> Option<&Map<String, Value>> {
    v.get("fields").and_then(Value::as_object)
}

/// The fields a person may have edited here (`routes::services::edited_fields`), as the
/// row holds them now.
fn current_fields(r: &ServiceRow) -> Map<String, Value> {
    let v = serde_json::json!({
        "nom": r.nom,
        "description": r.description,
        "type": r.type_,
        "thematiques": r.thematiques,
        "frais": r.frais,
        "publics": r.publics,
        "conditions_acces": r.conditions_acces,
        "adresse": r.adresse,
        "telephone": r.telephone,
        "courriel": r.courriel,
        "modes_accueil": r.modes_accueil,
        "zone_eligibilite": r.zone_eligibilite,
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn to_row(
    b: &ServiceInput,
    structure: Uuid,
    position: Option<(f64, f64)>,
    now: DateTime<Utc>,
) -> ServiceRow {
    ServiceRow::from_input(b.clone(), StructureId(structure), position, now)
}

/// Told `(file, bytes_read, bytes_total)` as an import reads.
pub type Progress = std::sync::Arc<dyn Fn(&str, u64, u64) + Send + Sync>;

/// Structures files first (services name their structure), then the others, each in the
/// order given.
pub fn in_order(files: &[std::path::PathBuf]) -> Vec<std::path::PathBuf> {
    let (mut first, rest): (Vec<_>, Vec<_>) = files.iter().cloned().partition(|f| {
        f.file_name()
            .is_some_and(|n| n.to_string_lossy().contains("structure"))
    });
    first.extend(rest);
    first
}

/// Imports `files` (structures files first) as one edition, then suspends what it did not
/// list. `progress(file, bytes_read, bytes_total)`. Every batch is written on `conn`.
pub fn import_files(
    conn: &mut PgConnection,
    files: &[std::path::PathBuf],
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    progress: Progress,
    on_batch: &mut dyn FnMut(&mut PgConnection, &Report) -> Result<(), ImportError>,
) -> Result<Report, ImportError> {
    import_files_with(conn, &mut [], files, now, actor, progress, on_batch)
}

/// How many connections write an import's services at once (the machine's two cores).
pub const WRITERS: usize = 2;

/// [`import_files`], the batches of services written by one thread per connection of
/// `writers` (see [`Importer::file`]); the rest, and `on_batch`, on `conn`.
pub fn import_files_with(
    conn: &mut PgConnection,
    writers: &mut [&mut PgConnection],
    files: &[std::path::PathBuf],
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    progress: Progress,
    on_batch: &mut dyn FnMut(&mut PgConnection, &Report) -> Result<(), ImportError>,
) -> Result<Report, ImportError> {
    let mut importer = Importer::new(conn, now, actor)?;
    for f in in_order(files) {
        let name = f.display().to_string();
        let total = std::fs::metadata(&f)
            .map_err(|e| ImportError::Io(name.clone(), e))?
            .len();
        let p = progress.clone();
        let n = name.clone();
        importer.file(
            conn,
            writers,
            &f,
            Box::new(move |read| p(&n, read, total)),
            on_batch,
        )?;
        progress(&name, total, total);
    }
    importer.finish(conn)?;
    Ok(importer.report)
}

/// Up to [`WRITERS`] more connections to `url` for an import's writers (as many as open;
/// none: the import writes on its own connection).
pub fn writer_connections(url: &str) -> Vec<PgConnection> {
    (0..WRITERS)
        .map_while(|_| PgConnection::establish(url).ok())
        .collect()
}

/// The `offer.import` job: imports an uploaded file, its figures written to its
/// `offer_imports` row after each batch (what `GET /services/imports/{id}` shows), then
/// settles it. A retry after a runner died starts over: the upsert is idempotent.
pub fn run_upload(
    ctx: &super::Context,
    conn: &mut PgConnection,
    payload: &Value,
) -> Result<(), super::JobError> {
    let Some(id) = super::uuid_of(payload, "import_id") else {
        return Err(super::JobError::permanent("offer.import without import_id"));
    };
    let now = ctx.clock.now();
    let Some(row) = imports::start(conn, id, now)? else {
        return Ok(());
    };
    let Some(path) = row.file_path.clone() else {
        imports::finish(conn, id, Some("the file is no longer there"), now)?;
        return Ok(());
    };
    let read = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = read.clone();
    let progress: Progress = std::sync::Arc::new(move |_: &str, n: u64, _: u64| {
        seen.store(n, std::sync::atomic::Ordering::Relaxed);
    });
    let name = row.file_name.clone();
    let clock = ctx.clock.clone();
    let id_text = id.to_string();
    let mut save = |conn: &mut PgConnection, r: &Report| -> Result<(), ImportError> {
        // Still at work: no other runner takes the job while it progresses, however long.
        crate::db::jobs::renew_lease(
            conn,
            imports::RUN,
            "import_id",
            &id_text,
            clock.now() + crate::domain::jobs::lease(imports::RUN),
        )?;
        let listed = serde_json::to_value(
            r.rejected_rows
                .iter()
                .map(|x| Rejected {
                    file: name.clone(),
                    ..x.clone()
                })
                .collect::<Vec<_>>(),
        )
        .unwrap_or(Value::Array(Vec::new()));
        imports::progress(
            conn,
            id,
            read.load(std::sync::atomic::Ordering::Relaxed) as i64,
            [
                r.rows as i64,
                r.created as i64,
                r.updated as i64,
                r.unchanged as i64,
                r.rejected as i64,
                r.suspended as i64,
            ],
            &listed,
        )?;
        Ok(())
    };
    let mut extra = writer_connections(&ctx.settings.database_url);
    let mut writers: Vec<&mut PgConnection> = extra.iter_mut().collect();
    let result = import_files_with(
        conn,
        &mut writers,
        &[std::path::PathBuf::from(&path)],
        now,
        row.requested_by,
        progress,
        &mut save,
    );
    let end = ctx.clock.now();
    match result {
        Ok(report) => {
            read.store(row.bytes as u64, std::sync::atomic::Ordering::Relaxed);
            save(conn, &report).map_err(|e| super::JobError::transient(e.to_string()))?;
            imports::finish(conn, id, None, end)?;
        }
        Err(ImportError::Db(e)) => return Err(e.into()),
        Err(e) => {
            let message = match e {
                ImportError::Format(_, m) => format!("unreadable file: {m}"),
                other => other.to_string(),
            };
            imports::finish(conn, id, Some(&message), end)?;
        }
    }
    let _ = std::fs::remove_file(&path);
    Ok(())
}
