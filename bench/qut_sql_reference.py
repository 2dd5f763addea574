#!/usr/bin/env python3
"""qut_sql_reference.py — the QUT toolkit's co-retweet computation, for the
benchmark's external reference and as an independent check of
`lockstep network co_retweet --compat qut`.

It does what the toolkit does, with the Python standard library only:
preprocess the 8-column CSV into an SQLite `edge` table (timestamps in
seconds, as floats), build the toolkit's indexes, and run its co-retweet
self-join (e_2.timestamp between e_1.timestamp - dt and + dt, the same
repost_id, e_1.message_id != e_2.message_id, count(distinct
e_1.message_id) per (user_1, user_2), weight >= min weight), in one
process (the toolkit splits the users over worker processes).  Writes the
toolkit's CSV (QUOTE_ALL, CRLF, self-loops dropped) ordered by
(user_1, user_2), and prints the preprocessing and compute seconds.

usage: qut_sql_reference.py INPUT.csv DT OUT.csv [DBFILE]
"""
import csv
import os
import sqlite3
import sys
import time


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    src, dt, out = argv[1], float(argv[2]), argv[3]
    db_path = argv[4] if len(argv) > 4 else out + ".db"
    if os.path.exists(db_path):
        os.remove(db_path)
    t0 = time.time()
    db = sqlite3.connect(db_path)
    db.executescript("""
        create table edge (message_id primary key, user_id not null, username text,
                           repost_id text, reply_id text, message text, timestamp float);
    """)
    with open(src, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        db.execute("begin")
        db.executemany("insert or ignore into edge values (?, ?, ?, ?, ?, ?, ?)",
                       ((row[0], row[1], row[2], row[3] or None, row[4] or None, row[5], float(row[6]))
                        for row in r))
        db.execute("commit")
    db.executescript("""
        create index if not exists user_time on edge(user_id, timestamp);
        create index if not exists repost_time on edge(repost_id, timestamp)
            where repost_id is not null;
    """)
    t1 = time.time()
    rows = db.execute("""
        select e_1.user_id as user_1, e_2.user_id as user_2,
               count(distinct e_1.message_id) as weight
        from edge e_1
        inner join edge e_2
            on e_1.repost_id = e_2.repost_id
            and e_2.timestamp between e_1.timestamp - ?1 and e_1.timestamp + ?1
            and e_1.message_id != e_2.message_id
        group by e_1.user_id, e_2.user_id
        having weight >= 1
        order by user_1, user_2
    """, (dt,)).fetchall()
    t2 = time.time()
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL)
        w.writerow(["source", "target", "weight", "edge_type"])
        for u1, u2, wt in rows:
            if u1 != u2:
                w.writerow([u1, u2, wt, "co_retweet"])
    db.close()
    os.remove(db_path)
    print("preprocess %.2f compute %.2f total %.2f" % (t1 - t0, t2 - t1, time.time() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
