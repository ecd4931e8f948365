// The SQLite workload: SQLite (Debian's sqlite3 sources, its amalgamation, unchanged) with an
// in-memory database: creates three tables, inserts rows through prepared statements in a
// transaction, builds indexes, and runs joins, grouped aggregates, sorts, LIKE filters, a
// subquery, updates and deletes, hashing every result row. The size argument is hundreds of
// rows in the main table.
//
// Built with SQLITE_OS_OTHER (no file system layer: wasm32-wasi has no file locking), so this
// file registers the one VFS SQLite needs to run an in-memory database: it opens no files, and
// its clock and randomness are fixed, so both builds do exactly the same work.
#include "../../c/bench.h"
#include "sqlite3.h"

static int vfs_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags,
                    int* out_flags) {
  (void)vfs, (void)name, (void)file, (void)flags, (void)out_flags;
  return SQLITE_CANTOPEN;
}
static int vfs_randomness(sqlite3_vfs* vfs, int n, char* out) {
  (void)vfs;
  for (int i = 0; i < n; i++) out[i] = (char)(i * 131 + 7);
  return n;
}
static int vfs_sleep(sqlite3_vfs* vfs, int us) {
  (void)vfs;
  return us;
}
static int vfs_time(sqlite3_vfs* vfs, sqlite3_int64* out) {
  (void)vfs;
  *out = 212544000000000LL;  // a fixed Julian day in ms (2027-01-01)
  return SQLITE_OK;
}
static int vfs_error(sqlite3_vfs* vfs, int n, char* out) {
  (void)vfs, (void)n, (void)out;
  return 0;
}

int sqlite3_os_init(void) {
  static sqlite3_vfs vfs = {.iVersion = 2,
                            .szOsFile = sizeof(sqlite3_file),
                            .mxPathname = 256,
                            .zName = "bench",
                            .xOpen = vfs_open,
                            .xRandomness = vfs_randomness,
                            .xSleep = vfs_sleep,
                            .xGetLastError = vfs_error,
                            .xCurrentTimeInt64 = vfs_time};
  return sqlite3_vfs_register(&vfs, 1);
}
int sqlite3_os_end(void) { return SQLITE_OK; }

static sqlite3* db;

static void check(int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "sqlite: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
}

static void exec(const char* sql) { check(sqlite3_exec(db, sql, NULL, NULL, NULL), sql); }

// Runs a query and folds every column of every row into the checksum.
static uint64_t query(uint64_t h, const char* sql) {
  sqlite3_stmt* st;
  check(sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(st); c++) {
      if (sqlite3_column_type(st, c) == SQLITE_INTEGER) {
        h = bench_mix(h, (uint64_t)sqlite3_column_int64(st, c));
      } else {
        const unsigned char* text = sqlite3_column_text(st, c);
        for (int i = 0; text && text[i]; i++) h = bench_mix(h, text[i]);
      }
    }
  }
  check(rc, sql);
  sqlite3_finalize(st);
  return h;
}

static const char* const kNames[] = {"ash",   "birch", "cedar", "elm",  "fir",   "hazel",
                                     "larch", "maple", "oak",   "pine", "rowan", "yew"};

static uint64_t run(int hundreds) {
  check(sqlite3_open(":memory:", &db), "open");
  exec(
      "CREATE TABLE players(id INTEGER PRIMARY KEY, name TEXT, guild INTEGER, level INTEGER,"
      " gold INTEGER);"
      "CREATE TABLE items(id INTEGER PRIMARY KEY, kind TEXT, price INTEGER);"
      "CREATE TABLE inventory(player INTEGER, item INTEGER, count INTEGER);");
  int players = hundreds * 100;
  uint32_t rng = 2024;
  exec("BEGIN");
  sqlite3_stmt* ins;
  check(sqlite3_prepare_v2(db, "INSERT INTO players VALUES(?, ?, ?, ?, ?)", -1, &ins, NULL), "p");
  for (int i = 1; i <= players; i++) {
    char name[32];
    uint32_t r = bench_rand(&rng);
    snprintf(name, sizeof name, "%s_%s%u", kNames[r % 12], kNames[(r >> 4) % 12], r % 1000);
    sqlite3_bind_int(ins, 1, i);
    sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(ins, 3, (int)((r >> 8) % 50));
    sqlite3_bind_int(ins, 4, (int)(1 + (r >> 14) % 60));
    sqlite3_bind_int(ins, 5, (int)((r >> 3) % 100000));
    check(sqlite3_step(ins), "insert player");
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  check(sqlite3_prepare_v2(db, "INSERT INTO items VALUES(?, ?, ?)", -1, &ins, NULL), "i");
  for (int i = 1; i <= 500; i++) {
    uint32_t r = bench_rand(&rng);
    sqlite3_bind_int(ins, 1, i);
    sqlite3_bind_text(ins, 2, kNames[r % 12], -1, SQLITE_STATIC);
    sqlite3_bind_int(ins, 3, (int)(1 + r % 5000));
    check(sqlite3_step(ins), "insert item");
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  check(sqlite3_prepare_v2(db, "INSERT INTO inventory VALUES(?, ?, ?)", -1, &ins, NULL), "v");
  for (int i = 0; i < players * 3; i++) {
    uint32_t r = bench_rand(&rng);
    sqlite3_bind_int(ins, 1, (int)(1 + r % (uint32_t)players));
    sqlite3_bind_int(ins, 2, (int)(1 + (r >> 12) % 500));
    sqlite3_bind_int(ins, 3, (int)(1 + (r >> 5) % 20));
    check(sqlite3_step(ins), "insert inventory");
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  exec("COMMIT");
  exec(
      "CREATE INDEX inv_player ON inventory(player); CREATE INDEX players_guild ON"
      " players(guild, level)");

  uint64_t h = 0;
  h = query(h,
            "SELECT guild, count(*), sum(gold), max(level), min(name) FROM players"
            " GROUP BY guild ORDER BY guild");
  h = query(h,
            "SELECT p.name, sum(v.count * i.price) AS worth FROM players p"
            " JOIN inventory v ON v.player = p.id JOIN items i ON i.id = v.item"
            " WHERE p.guild < 10 GROUP BY p.id ORDER BY worth DESC, p.name LIMIT 50");
  h = query(h,
            "SELECT count(*), sum(level) FROM players WHERE name LIKE 'oak%' OR name LIKE"
            " '%_elm%'");
  h = query(h,
            "SELECT kind, count(*), avg(price) FROM items GROUP BY kind HAVING count(*) > 20"
            " ORDER BY 2 DESC");
  h = query(h,
            "SELECT id, name FROM players WHERE gold > (SELECT avg(gold) FROM players)"
            " AND level BETWEEN 20 AND 22 ORDER BY gold DESC, id LIMIT 100");
  exec("UPDATE players SET gold = gold + level * 10 WHERE guild % 3 = 0");
  exec("DELETE FROM inventory WHERE count < 3");
  h = query(h,
            "SELECT guild, sum(gold), count(DISTINCT level) FROM players GROUP BY guild"
            " ORDER BY 2 DESC");
  h = query(h,
            "SELECT upper(substr(name, 1, 3)) AS k, count(*), printf('%.2f', avg(gold))"
            " FROM players GROUP BY k ORDER BY k");
  h = query(h, "SELECT count(*), sum(count) FROM inventory");
  sqlite3_close(db);
  return h;
}

BENCH_MAIN(run, 80, 2)
