// The append-only file through the engine: what is logged, what a restart
// recovers, replies held under appendfsync always (group commit), write and
// sync errors, torn tails, Redis 6 adoption, rewrites and shutdown. Runs on
// the in-memory filesystem; syncs complete only when a test delivers them.
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/aof/aof_log.h"
#include "engine/aof/record.h"
#include "engine/engine.h"
#include "engine/util/planted_bugs.h"
#include "engine/util/strconv.h"
#include "tests/support/aof_world.h"
#include "tests/support/engine_harness.h"
#include "tests/support/fake_env.h"

namespace cairn::testing {
namespace {

TEST(AofEngine, FreshStartWritesTheRedisLayout) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  EXPECT_EQ(w.AofFiles(),
            (std::vector<std::string>{"appendonly.aof.1.base.aof", "appendonly.aof.1.incr.aof",
                                      "appendonly.aof.manifest"}));
  EXPECT_EQ(w.File("appendonly.aof.manifest"),
            "file appendonly.aof.1.base.aof seq 1 type b\n"
            "file appendonly.aof.1.incr.aof seq 1 type i\n");
}

TEST(AofEngine, EffectsAreLoggedInDeterministicFormAndSurviveARestart) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  EXPECT_EQ(w.Run({"SET", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(w.Run({"INCRBY", "a", "5"}), ":6\r\n");
  EXPECT_EQ(w.Run({"SET", "t", "v", "EX", "100"}), "+OK\r\n");
  EXPECT_EQ(w.Run({"APPEND", "s", "xy"}), ":2\r\n");
  EXPECT_EQ(w.Run({"SELECT", "2"}), "+OK\r\n");
  EXPECT_EQ(w.Run({"SET", "b", "in2"}), "+OK\r\n");
  EXPECT_EQ(w.Run({"SELECT", "0"}), "+OK\r\n");
  EXPECT_EQ(w.Run({"DEL", "s"}), ":1\r\n");
  const std::string& incr = w.File("appendonly.aof.1.incr.aof");
  int64_t deadline = w.env().manual_clock().WallUs() / 1000 + 100000;
  EXPECT_NE(incr.find("KEEPTTL"), std::string::npos);
  EXPECT_NE(incr.find("PXAT\r\n$13\r\n" + std::to_string(deadline)), std::string::npos);
  EXPECT_NE(incr.find("#cairn:"), std::string::npos);
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"GET", "a"}), "$1\r\n6\r\n");
  EXPECT_EQ(w.Run({"PTTL", "t"}), ":100000\r\n");
  EXPECT_EQ(w.Run({"EXISTS", "s"}), ":0\r\n");
  EXPECT_EQ(w.Run({"SELECT", "2"}), "+OK\r\n");
  EXPECT_EQ(w.Run({"GET", "b"}), "$3\r\nin2\r\n");
}

TEST(AofEngine, ReplayNeverLogsAndRestartsDoNotGrowTheFiles) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  for (int i = 0; i < 20; ++i) {
    std::string k = "k" + std::to_string(i);
    w.Run({"SET", k, "v"});
  }
  std::string before = w.File("appendonly.aof.1.incr.aof");
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(w.Restart().ok());
    w.DeliverSyncs();
    EXPECT_EQ(w.File("appendonly.aof.1.incr.aof"), before);
  }
  EXPECT_EQ(w.Run({"DBSIZE"}), ":20\r\n");
}

TEST(AofEngine, KeysDueDuringLoadingAreNotExpiredIntoTheLog) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.Run({"SET", "k", "v", "PX", "50"});
  w.Run({"APPEND", "k", "w"});
  std::string before = w.File("appendonly.aof.1.incr.aof");
  w.env().manual_clock().AdvanceMs(1000);
  ASSERT_TRUE(w.Restart().ok());
  w.DeliverSyncs();
  // Loading kept the key for the APPEND record; nothing was logged.
  EXPECT_EQ(w.File("appendonly.aof.1.incr.aof"), before);
  // After loading, the key is expired as usual (and the DEL is logged).
  EXPECT_EQ(w.Run({"GET", "k"}), "$-1\r\n");
  EXPECT_NE(w.File("appendonly.aof.1.incr.aof").find("DEL"), std::string::npos);
}

TEST(AofEngine, AlwaysHoldsEveryReplyUntilItsBatchIsDurable) {
  AofWorld w({"--appendfsync", "always"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  Session* reader = w.NewSession();
  EXPECT_EQ(w.Run({"SET", "a", "1"}, /*deliver=*/false), "");
  // A read of the value in the next batch waits too: it saw an undurable write.
  EXPECT_EQ(w.Run(reader, {"GET", "a"}, /*deliver=*/false), "");
  w.DeliverSyncs();
  EXPECT_EQ(w.Take(w.session()), "+OK\r\n");
  EXPECT_EQ(w.Take(reader), "$1\r\n1\r\n");
  // Once everything is durable a read goes at once, with no new sync.
  EXPECT_EQ(w.Run(reader, {"GET", "a"}, /*deliver=*/false), "$1\r\n1\r\n");
  EXPECT_EQ(w.PendingSyncs(), 0u);
}

TEST(AofEngine, AlwaysGroupCommitsOneSyncPerBatchForAllSessions) {
  AofWorld w({"--appendfsync", "always"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  std::vector<Session*> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(w.NewSession());
  for (int i = 0; i < 5; ++i) {
    std::string k = "k" + std::to_string(i);
    w.engine().Feed(clients[i], EncodeCommand({"SET", k, "v"}));
  }
  w.engine().EndBatch();
  EXPECT_EQ(w.PendingSyncs(), 1u);
  for (Session* c : clients) EXPECT_EQ(w.engine().Output(c), "");
  // The next batch executes while the sync runs, and waits for its own.
  w.engine().Feed(clients[0], EncodeCommand({"SET", "late", "v"}));
  w.engine().EndBatch();
  EXPECT_EQ(w.PendingSyncs(), 1u);  // one sync in flight at a time
  w.DeliverSyncs();                 // completes the first; the second follows
  for (int i = 1; i < 5; ++i) EXPECT_EQ(w.Take(clients[i]), "+OK\r\n");
  EXPECT_EQ(w.Take(clients[0]), "+OK\r\n+OK\r\n");
}

// Only the sync replies wait on is asked for as such (kv-server runs it on
// the engine thread): the batch's under always, never everysec's nor a
// rewrite's base, manifest or directory syncs.
TEST(AofEngine, OnlyTheBatchSyncUnderAlwaysIsWaitedOn) {
  for (const char* policy : {"always", "everysec"}) {
    SCOPED_TRACE(policy);
    AofWorld w({"--appendfsync", policy});
    ASSERT_TRUE(w.Start().ok());
    w.DeliverSyncs();
    EXPECT_TRUE(w.env().memory_fs().waited_syncs().empty()) << "start-up syncs are not waited on";
    const bool always = std::string(policy) == "always";
    EXPECT_EQ(w.Run({"SET", "a", "1"}, /*deliver=*/false), always ? "" : "+OK\r\n");
    w.engine().Tick();  // everysec's sync comes from the period
    const size_t pending = w.PendingSyncs();
    const std::vector<uint64_t> waited = w.env().memory_fs().waited_syncs();
    if (always) {
      ASSERT_EQ(pending, 1u);
      EXPECT_EQ(waited, (std::vector<uint64_t>{w.env().memory_fs().pending_syncs().front()}));
    } else {
      EXPECT_TRUE(waited.empty());
    }
    w.DeliverSyncs();
    if (always) {
      EXPECT_EQ(w.Take(w.session()), "+OK\r\n");
    }
    EXPECT_EQ(w.Run({"BGREWRITEAOF"}), "+Background append only file rewriting started\r\n");
    for (int i = 0; i < 20 && w.engine().durability().log()->rewrite_in_progress(); ++i) {
      w.engine().Tick();
      w.DeliverSyncs();
    }
    EXPECT_FALSE(w.engine().durability().log()->rewrite_in_progress());
    EXPECT_EQ(w.env().memory_fs().waited_syncs(), waited) << "a rewrite's sync was waited on";
  }
}

TEST(AofEngine, EverysecDoesNotHoldAndSyncsOncePerPeriod) {
  AofWorld w({"--appendfsync", "everysec"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.env().manual_clock().AdvanceMs(1500);
  EXPECT_EQ(w.Run({"SET", "a", "1"}, false), "+OK\r\n");
  EXPECT_EQ(w.PendingSyncs(), 1u);  // a second passed since the last fsync
  w.DeliverSyncs();
  EXPECT_EQ(w.Run({"SET", "b", "1"}, false), "+OK\r\n");
  EXPECT_EQ(w.PendingSyncs(), 0u);  // within the period: no fsync yet
  w.env().manual_clock().AdvanceMs(1000);
  w.engine().Tick();
  EXPECT_EQ(w.PendingSyncs(), 1u);
}

TEST(AofEngine, EverysecPeriodsRunOnTheMonotonicClockWhenTheWallClockGoesBack) {
  // Found by the simulator's everysec check: with the period measured on the
  // wall clock, setting the clock back by minutes would stall every fsync.
  AofWorld w({"--appendfsync", "everysec"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.env().manual_clock().AdvanceMs(1500);
  w.Run({"SET", "a", "1"}, false);
  ASSERT_EQ(w.PendingSyncs(), 1u);
  w.DeliverSyncs();
  w.Run({"SET", "b", "1"}, false);
  const aof::AofLog& log = *w.engine().durability().log();
  EXPECT_GT(log.written(), log.sync_requested());
  w.env().manual_clock().SetWallMs(1'600'000'000'000);  // about three years back
  w.env().manual_clock().AdvanceMs(1000);
  w.engine().Tick();
  EXPECT_EQ(w.PendingSyncs(), 1u);
  EXPECT_EQ(log.written(), log.sync_requested());
}

TEST(AofEngine, EverysecPostponesWritesWhileAnFsyncIsSlowForUpToTwoSeconds) {
  AofWorld w({"--appendfsync", "everysec"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.env().manual_clock().AdvanceMs(1500);
  w.Run({"SET", "a", "1"}, false);  // written, fsync requested (stays pending)
  size_t size = w.File("appendonly.aof.1.incr.aof").size();
  w.Run({"SET", "b", "1"}, false);
  EXPECT_EQ(w.File("appendonly.aof.1.incr.aof").size(), size);  // postponed
  w.env().manual_clock().AdvanceMs(2100);
  w.Run({"SET", "c", "1"}, false);
  EXPECT_GT(w.File("appendonly.aof.1.incr.aof").size(), size);  // written anyway
  EXPECT_EQ(w.engine().durability().log()->delayed_fsync(), 1u);
}

TEST(AofEngine, WriteErrorRefusesWritesWithMisconfUntilARetrySucceeds) {
  AofWorld w({"--appendfsync", "everysec"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.Run({"SET", "a", "1"});
  std::string good = w.File("appendonly.aof.1.incr.aof");
  w.env().memory_fs().FailAppends(Status::NoSpace("write x: No space left on device"), 7);
  EXPECT_EQ(w.Run({"SET", "b", "2"}), "+OK\r\n");        // executed; its batch fails
  EXPECT_EQ(w.File("appendonly.aof.1.incr.aof"), good);  // partial write cut
  EXPECT_EQ(w.Run({"SET", "c", "3"}),
            "-MISCONF Errors writing to the AOF file: No space left on device\r\n");
  EXPECT_EQ(w.Run({"PING"}),
            "-MISCONF Errors writing to the AOF file: No space left on device\r\n");
  EXPECT_EQ(w.Run({"GET", "b"}), "$1\r\n2\r\n");  // reads keep working
  w.env().memory_fs().HealAppends();
  w.env().manual_clock().AdvanceMs(1100);
  w.engine().Tick();  // the retry writes the kept batch
  w.DeliverSyncs();
  EXPECT_EQ(w.Run({"SET", "c", "3"}), "+OK\r\n");
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"MGET", "a", "b", "c"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
}

TEST(AofEngine, WriteErrorUnderAlwaysExits) {
  AofWorld w({"--appendfsync", "always"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.env().memory_fs().FailAppends(Status::Io("write x: Input/output error", 5));
  EXPECT_EQ(w.Run({"SET", "b", "2"}), "");  // never acknowledged
  EXPECT_EQ(w.engine().shutdown_state(), ShutdownState::kDone);
  EXPECT_EQ(w.engine().exit_code(), 1);
}

TEST(AofEngine, FsyncErrorUnderAlwaysExitsAndTheReplyNeverLeaves) {
  AofWorld w({"--appendfsync", "always"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  EXPECT_EQ(w.Run({"SET", "a", "1"}, false), "");
  w.DeliverSyncs(Status::Io("fdatasync: Input/output error", 5));
  EXPECT_EQ(w.Take(w.session()), "");
  EXPECT_EQ(w.engine().shutdown_state(), ShutdownState::kDone);
  EXPECT_EQ(w.engine().exit_code(), 1);
}

TEST(AofEngine, FsyncErrorUnderEverysecRefusesWritesUntilARewriteSucceeds) {
  AofWorld w({"--appendfsync", "everysec"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.env().manual_clock().AdvanceMs(1500);
  w.Run({"SET", "a", "1"}, false);
  ASSERT_EQ(w.PendingSyncs(), 1u);
  w.DeliverSyncs(Status::Io("fdatasync: Input/output error", 5));
  EXPECT_EQ(w.Run({"SET", "b", "2"}, false),
            "-MISCONF Errors writing to the AOF file: Input/output error\r\n");
  // The automatic rewrite started at the batch point; once its files are
  // durable, writes resume.
  EXPECT_TRUE(w.engine().durability().log()->rewrite_in_progress());
  for (int i = 0; i < 10 && w.engine().durability().log()->rewrite_in_progress(); ++i) {
    w.engine().Tick();  // walk steps
    w.DeliverSyncs();
  }
  EXPECT_FALSE(w.engine().durability().log()->rewrite_in_progress());
  EXPECT_EQ(w.Run({"SET", "b", "2"}), "+OK\r\n");
}

TEST(AofEngine, TornTailOfTheLastFileIsCutWithAWarning) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.Run({"SET", "a", "1"});
  w.Run({"SET", "b", "2"});
  std::string good = w.File("appendonly.aof.1.incr.aof");
  w.File("appendonly.aof.1.incr.aof") += "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nab";
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.File("appendonly.aof.1.incr.aof"), good);
  EXPECT_EQ(w.Run({"MGET", "a", "b", "c"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
  bool warned = false;
  for (auto& [level, line] : w.env().log().lines) {
    if (line.find("aof-load-truncated") != std::string::npos) warned = true;
  }
  EXPECT_TRUE(warned);
}

TEST(AofEngine, LoadedRecordsAfterTheLastChecksumAreSealedBeforeAnythingFollows) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.Run({"SET", "a", "1"});
  // A record after the last checksum that ends cleanly (appended by Redis, a
  // torn batch cut on a record boundary, or a kv-check-aof --fix cut): kept.
  const std::string rec_c = "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n";
  w.File("appendonly.aof.1.incr.aof") += rec_c;
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"GET", "c"}, false), "$1\r\n3\r\n");
  // Until the seal is durable, nothing is written after it.
  const std::string& sealed = w.File("appendonly.aof.1.incr.aof");
  const size_t sealed_size = sealed.size();
  const size_t seal_at = sealed.rfind(rec_c) + rec_c.size();
  ASSERT_LT(seal_at, sealed_size);  // c's record is followed by its seal
  EXPECT_EQ(sealed.compare(seal_at, 7, "#cairn:"), 0);
  w.Run({"SET", "d", "4"}, false);
  EXPECT_EQ(w.File("appendonly.aof.1.incr.aof").size(), sealed_size);
  w.DeliverSyncs();
  w.Run({"SET", "e", "5"});
  std::string& incr = w.File("appendonly.aof.1.incr.aof");
  ASSERT_GT(incr.size(), sealed_size);
  // A crash tears the first batch after the seal: the load cuts back to the
  // seal, never before it, so c (which clients saw) survives.
  incr.resize(sealed_size + 10);
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"MGET", "a", "c", "d"}), "*3\r\n$1\r\n1\r\n$1\r\n3\r\n$-1\r\n");
}

TEST(AofEngine, ACutTornTailIsDurableBeforeAnythingIsAppendedWhereItWas) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.Run({"SET", "a", "1"});
  w.File("appendonly.aof.1.incr.aof") += "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nab";
  ASSERT_TRUE(w.Restart().ok());
  const size_t cut = w.File("appendonly.aof.1.incr.aof").size();
  EXPECT_GT(w.PendingSyncs(), 0u);  // the cut's sync
  w.Run({"SET", "b", "2"}, false);
  EXPECT_EQ(w.File("appendonly.aof.1.incr.aof").size(), cut);  // held back
  w.DeliverSyncs();
  w.Run({"SET", "d", "3"});
  EXPECT_GT(w.File("appendonly.aof.1.incr.aof").size(), cut);
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"MGET", "a", "b", "c", "d"}), "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n$1\r\n3\r\n");
}

TEST(AofEngine, TornTailIsRefusedWhenAofLoadTruncatedIsNo) {
  AofWorld w({"--aof-load-truncated", "no"});
  ASSERT_TRUE(w.Start().ok());
  w.Run({"SET", "a", "1"});
  w.File("appendonly.aof.1.incr.aof") +=
      "*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$5\r\nab" + std::string(64, '\0');
  Status st = w.Restart();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("appendonly.aof.1.incr.aof"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("aof-load-truncated is no"), std::string::npos);
}

TEST(AofEngine, OnlyAlwaysAsksTheIncrFileForZerosAhead) {
  AofWorld w({"--appendfsync", "always"});
  ASSERT_TRUE(w.Start().ok());
  auto& pre = w.env().memory_fs().preallocation();
  const std::string incr1 = w.Path("appendonly.aof.1.incr.aof");
  EXPECT_EQ(pre[incr1], aof::AofLog::kPreallocationChunk);
  EXPECT_EQ(w.Run({"CONFIG", "SET", "appendfsync", "everysec"}), "+OK\r\n");
  EXPECT_EQ(pre[incr1], 0u);
  EXPECT_EQ(w.Run({"CONFIG", "SET", "appendfsync", "always"}), "+OK\r\n");
  EXPECT_EQ(pre[incr1], aof::AofLog::kPreallocationChunk);
  // The next incr file of a rewrite asks too; bases and manifests never do.
  EXPECT_EQ(w.Run({"SET", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(w.Run({"BGREWRITEAOF"}), "+Background append only file rewriting started\r\n");
  for (int i = 0; i < 20 && w.engine().durability().log()->rewrite_in_progress(); ++i) {
    w.engine().Tick();
    w.DeliverSyncs();
  }
  ASSERT_FALSE(w.engine().durability().log()->rewrite_in_progress());
  EXPECT_EQ(pre[w.Path("appendonly.aof.2.incr.aof")], aof::AofLog::kPreallocationChunk);
  for (const auto& [path, chunk] : pre) {
    EXPECT_NE(path.find(".incr.aof"), std::string::npos) << path;
  }
  AofWorld every({"--appendfsync", "everysec"});
  ASSERT_TRUE(every.Start().ok());
  EXPECT_EQ(every.env().memory_fs().preallocation()[every.Path("appendonly.aof.1.incr.aof")], 0u);
}

TEST(AofEngine, ZerosAfterTheLastBatchAreSpaceCutDurablyEvenWithAofLoadTruncatedNo) {
  AofWorld w({"--aof-load-truncated", "no", "--appendfsync", "always"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  EXPECT_EQ(w.Run({"SET", "a", "1"}), "+OK\r\n");
  const std::string good = w.File("appendonly.aof.1.incr.aof");
  w.File("appendonly.aof.1.incr.aof") += std::string(4096, '\0');  // a crash left them
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.File("appendonly.aof.1.incr.aof"), good);
  for (auto& [level, line] : w.env().log().lines) {
    EXPECT_EQ(line.find("aof-load-truncated"), std::string::npos) << line;
    EXPECT_NE(level, LogLevel::kWarning) << line;
  }
  // As with a torn tail's cut, nothing is appended where the zeros were
  // until the cut is durable.
  EXPECT_GT(w.PendingSyncs(), 0u);
  w.Run({"SET", "b", "2"}, false);
  EXPECT_EQ(w.File("appendonly.aof.1.incr.aof"), good);
  w.DeliverSyncs();
  w.Run({"SET", "c", "3"});
  EXPECT_GT(w.File("appendonly.aof.1.incr.aof").size(), good.size());
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"MGET", "a", "b", "c"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
}

TEST(AofEngine, ZerosEndingAnEarlierIncrFileAreSpaceAndStay) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  EXPECT_EQ(w.Run({"SET", "a", "1"}), "+OK\r\n");
  // A second incr file, as a rewrite leaves until its base is in place; the
  // first one still ends in the zeros its writer had reserved.
  std::string second;
  const std::vector<std::string_view> set_b{"SET", "b", "2"};
  aof::AppendRecord(second, set_b);
  const std::string records = second;
  aof::AppendChecksum(second, records);
  w.File("appendonly.aof.2.incr.aof") = second;
  w.File("appendonly.aof.manifest") += "file appendonly.aof.2.incr.aof seq 2 type i\n";
  w.File("appendonly.aof.1.incr.aof") += std::string(1000, '\0');
  const std::string first = w.File("appendonly.aof.1.incr.aof");
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"MGET", "a", "b"}), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  EXPECT_EQ(w.File("appendonly.aof.1.incr.aof"), first);  // not the last file: left alone
  // Zeros followed by a valid batch are damage, not space.
  w.File("appendonly.aof.2.incr.aof") = std::string(512, '\0') + second;
  Status st = w.Restart();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("appendonly.aof.2.incr.aof is damaged at offset 0"),
            std::string::npos)
      << st.message();
}

TEST(AofEngine, DamageInTheMiddleStopsStartUpWithFileAndOffset) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.Run({"SET", "a", "1"});
  size_t at = w.File("appendonly.aof.1.incr.aof").size();
  w.Run({"SET", "b", "2"});
  w.Run({"SET", "c", "3"});
  w.File("appendonly.aof.1.incr.aof")[at] = '?';
  Status st = w.Restart();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(
      st.message().find("appendonly.aof.1.incr.aof is damaged at offset " + std::to_string(at)),
      std::string::npos)
      << st.message();
}

TEST(AofEngine, AKeyOfATypeCairnLacksStopsStartUpNamingIt) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  std::string rec;
  std::string_view args[] = {"HSET", "myhash", "f", "v"};
  aof::AppendRecord(rec, args);
  w.File("appendonly.aof.1.incr.aof") += rec;
  Status st = w.Restart();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'HSET'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("'myhash'"), std::string::npos) << st.message();
}

TEST(AofEngine, ManifestNamingAMissingFileStopsStartUp) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.File("appendonly.aof.manifest") += "file appendonly.aof.7.incr.aof seq 7 type i\n";
  Status st = w.Restart();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("appendonly.aof.7.incr.aof"), std::string::npos) << st.message();
}

TEST(AofEngine, ARedis6SingleFileIsAdoptedAsTheBase) {
  AofWorld w;
  std::string data;
  std::string_view sel[] = {"SELECT", "0"};
  std::string_view set[] = {"set", "old", "value"};
  std::string_view multi[] = {"MULTI"};
  std::string_view incr[] = {"incr", "n"};
  std::string_view exec[] = {"EXEC"};
  aof::AppendRecord(data, sel);
  aof::AppendRecord(data, set);
  aof::AppendRecord(data, multi);
  aof::AppendRecord(data, incr);
  aof::AppendRecord(data, incr);
  aof::AppendRecord(data, exec);
  w.env().memory_fs().files()["/data/appendonly.aof"] = data;
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  EXPECT_EQ(w.Run({"MGET", "old", "n"}), "*2\r\n$5\r\nvalue\r\n$1\r\n2\r\n");
  EXPECT_FALSE(w.env().memory_fs().Exists("/data/appendonly.aof"));
  EXPECT_EQ(w.File("appendonly.aof"), data);
  EXPECT_EQ(w.File("appendonly.aof.manifest"),
            "file appendonly.aof seq 1 type b\n"
            "file appendonly.aof.1.incr.aof seq 1 type i\n");
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"MGET", "old", "n"}), "*2\r\n$5\r\nvalue\r\n$1\r\n2\r\n");
}

TEST(AofEngine, BgRewriteAofCompactsAndTheRestartSeesTheSameData) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  for (int i = 0; i < 50; ++i) w.Run({"INCR", "counter"});
  w.Run({"SET", "t", "v", "EX", "100"});
  w.Run({"SELECT", "3"});
  w.Run({"SET", "x", "in3"});
  EXPECT_EQ(w.Run({"BGREWRITEAOF"}, false), "+Background append only file rewriting started\r\n");
  EXPECT_EQ(w.Run({"BGREWRITEAOF"}, false),
            "-ERR Background append only file rewriting already in progress\r\n");
  // Writes racing the rewrite, including non-idempotent ones.
  EXPECT_EQ(w.Run({"APPEND", "x", "+"}, false), ":4\r\n");
  w.DeliverSyncs();
  w.DeliverSyncs();
  EXPECT_FALSE(w.engine().durability().log()->rewrite_in_progress());
  EXPECT_EQ(w.AofFiles(),
            (std::vector<std::string>{"appendonly.aof.2.base.aof", "appendonly.aof.2.incr.aof",
                                      "appendonly.aof.manifest"}));
  EXPECT_EQ(w.File("appendonly.aof.manifest"),
            "file appendonly.aof.2.base.aof seq 2 type b\n"
            "file appendonly.aof.2.incr.aof seq 2 type i\n");
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"GET", "counter"}), "$2\r\n50\r\n");
  EXPECT_EQ(w.Run({"PTTL", "t"}), ":100000\r\n");
  w.Run({"SELECT", "3"});
  EXPECT_EQ(w.Run({"GET", "x"}), "$4\r\nin3+\r\n");
}

TEST(AofEngine, ACrashAtEveryStepOfARewriteRecoversTheSameState) {
  // Crash after k sync completions of a rewrite, for every k until it is
  // done; MemoryFs keeps every write (a kill -9: the page cache survives).
  // Under always, a write whose reply left must be there after the restart;
  // one whose reply did not may be there or not, but never half.
  for (int k = 0;; ++k) {
    AofWorld w({"--appendfsync", "always"});
    ASSERT_TRUE(w.Start().ok());
    w.DeliverSyncs();
    w.Run({"SET", "a", "x"});
    w.Run({"SET", "gone", "1"});
    w.Run({"BGREWRITEAOF"}, false);
    w.engine().Feed(w.session(), EncodeCommand({"APPEND", "a", "y"}));
    w.engine().Feed(w.session(), EncodeCommand({"DEL", "gone"}));
    w.engine().EndBatch();
    std::string replies = w.Take(w.session());
    for (int i = 0; i < k && w.PendingSyncs() > 0; ++i) {
      uint64_t token = w.env().memory_fs().pending_syncs().front();
      w.env().memory_fs().pending_syncs().pop_front();
      w.engine().OnSynced(token, Status::Ok());
      replies += w.Take(w.session());
    }
    bool finished = !w.engine().durability().log()->rewrite_in_progress();
    bool acked = replies.find(":2\r\n:1\r\n") != std::string::npos;
    ASSERT_TRUE(w.Restart().ok()) << "k=" << k;
    std::string a = w.Run({"GET", "a"});
    std::string gone = w.Run({"EXISTS", "gone"});
    if (acked) {
      EXPECT_EQ(a, "$2\r\nxy\r\n") << "k=" << k;
      EXPECT_EQ(gone, ":0\r\n") << "k=" << k;
    } else {
      EXPECT_TRUE((a == "$2\r\nxy\r\n" && gone == ":0\r\n") ||
                  (a == "$1\r\nx\r\n" && gone == ":1\r\n"))
          << "k=" << k << " " << a << gone;
    }
    for (const std::string& name : w.AofFiles()) {
      EXPECT_EQ(name.rfind("temp-", 0), std::string::npos) << name;
    }
    if (finished) {
      EXPECT_TRUE(acked);
      break;
    }
    ASSERT_LT(k, 20);
  }
}

TEST(AofEngine, ARewriteWalkedInStepsWhileWritesRaceItLoadsToTheSameState) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    AofWorld w({"--appendfsync", seed % 2 ? "always" : "everysec"});
    ASSERT_TRUE(w.Start().ok());
    w.DeliverSyncs();
    SplitMix64 rng(seed);
    auto key = [&]() { return "k" + std::to_string(rng.Next64() % 30000); };
    std::vector<Session*> dbs;
    for (int db = 0; db < 3; ++db) {
      Session* s = w.NewSession();
      w.Run(s, {"SELECT", std::to_string(db)});
      dbs.push_back(s);
    }
    for (int i = 0; i < 24000; ++i) {
      std::string k = "k" + std::to_string(i);
      w.Run(dbs[static_cast<size_t>(i % 3)], {"SET", k, "v" + std::to_string(i)});
    }
    ASSERT_EQ(w.Run({"BGREWRITEAOF"}), "+Background append only file rewriting started\r\n");
    int steps = 0;
    for (int i = 0; i < 4000 || w.engine().durability().log()->rewrite_in_progress(); ++i) {
      Session* s = dbs[rng.Next64() % 3];
      std::string a = key();
      std::string b = key();
      std::string n = std::to_string(rng.Next64() % 3);
      switch (rng.Next64() % 13) {
        case 0:
          w.Run(s, {"SET", a, "x" + std::to_string(i)}, false);
          break;
        case 1:
          w.Run(s, {"APPEND", a, "+"}, false);
          break;
        case 2:
          w.Run(s, {"SETRANGE", a, "2", "zz"}, false);
          break;
        case 3:
          w.Run(s, {"DEL", a}, false);
          break;
        case 4:
          w.Run(s, {"RENAME", a, b}, false);
          break;
        case 5:
          w.Run(s, {"MOVE", a, n}, false);
          break;
        case 6:
          w.Run(s, {"COPY", a, b, "DB", n, "REPLACE"}, false);
          break;
        case 7:
          w.Run(s, {"PEXPIREAT", a, "4102444800000"}, false);
          break;
        case 8:
          w.Run(s, {"INCR", "ctr" + n}, false);
          break;
        case 9:
          w.Run(s, {"MSET", a, "m", b, "m"}, false);
          break;
        case 10:
          if (rng.Next64() % 50 == 0) w.Run(s, {"SWAPDB", "0", n}, false);
          break;
        case 11:
          if (rng.Next64() % 400 == 0) w.Run(s, {"FLUSHDB"}, false);
          break;
        default:
          w.Run(s, {"GETSET", a, "g"}, false);
          break;
      }
      if (rng.Next64() % 4 == 0) w.DeliverSyncs();
      if (w.engine().durability().walking()) ++steps;
      ASSERT_LT(i, 100000);
    }
    EXPECT_GT(steps, 2) << "the walk took more than one step";
    w.DeliverSyncs();
    auto want = Snapshot(w.engine());
    ASSERT_TRUE(w.Restart().ok());
    auto got = Snapshot(w.engine());
    EXPECT_EQ(got.size(), want.size()) << "seed " << seed;
    EXPECT_TRUE(got == want) << "seed " << seed;
  }
}

void FinishRewrite(AofWorld& w) {
  for (int i = 0; i < 20 && w.engine().durability().log()->rewrite_in_progress(); ++i) {
    w.engine().Tick();
    w.DeliverSyncs();
  }
  ASSERT_FALSE(w.engine().durability().log()->rewrite_in_progress());
}

TEST(AofEngine, ABaseCarriesSizeHintsAndTheRestartSizesTablesOnce) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  for (int i = 0; i < 300; ++i) w.Run({"SET", "k" + std::to_string(i), "v"});
  w.Run({"SET", "t", "v", "EX", "100"});
  w.Run({"SELECT", "3"});
  for (int i = 0; i < 20; ++i) w.Run({"SET", "x" + std::to_string(i), "v"});
  w.Run({"BGREWRITEAOF"}, false);
  w.DeliverSyncs();
  w.DeliverSyncs();
  ASSERT_FALSE(w.engine().durability().log()->rewrite_in_progress());
  const std::string& base = w.File("appendonly.aof.2.base.aof");
  EXPECT_NE(base.find("#cairn-size:0:301:1\r\n"), std::string::npos);
  EXPECT_NE(base.find("#cairn-size:3:20:0\r\n"), std::string::npos);
  ASSERT_TRUE(w.Restart().ok());
  // Sized once for the hint (512 buckets for 301 keys), never rehashed.
  Database& db0 = w.engine().keyspace().db(0);
  EXPECT_EQ(db0.size(), 301u);
  EXPECT_EQ(db0.main().bucket_count(), 512u);
  EXPECT_FALSE(db0.main().rehashing());
  EXPECT_EQ(db0.expires().size(), 1u);
  EXPECT_EQ(w.engine().keyspace().db(3).size(), 20u);
  EXPECT_EQ(w.Run({"PTTL", "t"}), ":100000\r\n");
}

TEST(AofEngine, GrowthPastTheThresholdRewritesAutomatically) {
  AofWorld w({"--auto-aof-rewrite-min-size", "2000", "--auto-aof-rewrite-percentage", "100"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  for (int i = 0; i < 200 && !w.engine().durability().log()->rewrite_in_progress(); ++i) {
    w.Run({"INCR", "counter"});
  }
  ASSERT_TRUE(w.engine().durability().log()->rewrite_in_progress());
  FinishRewrite(w);
  EXPECT_EQ(w.engine().durability().log()->rewrites(), 1u);
  // The base is tiny now: the next rewrite waits for 100% growth over it.
  EXPECT_LT(w.engine().durability().log()->current_size(), 2000u);
  std::string counter = w.Run({"GET", "counter"});
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"GET", "counter"}), counter);
}

TEST(AofEngine, ALogThatGrewPastTheThresholdIsCompactedOnRestart) {
  AofWorld w({"--auto-aof-rewrite-min-size", "3000", "--auto-aof-rewrite-percentage", "0"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  for (int i = 0; i < 200; ++i) w.Run({"SET", "k", std::to_string(i)});
  EXPECT_FALSE(w.engine().durability().log()->rewrite_in_progress());  // percentage 0: off
  w.AddArgs({"--auto-aof-rewrite-percentage", "100"});
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_TRUE(w.engine().durability().log()->rewrite_in_progress());
  FinishRewrite(w);
  EXPECT_NE(w.File("appendonly.aof.manifest").find("appendonly.aof.2.base.aof"), std::string::npos);
  EXPECT_EQ(w.Run({"GET", "k"}), "$3\r\n199\r\n");
}

TEST(AofEngine, TheRewriteTimerCompactsPeriodically) {
  AofWorld w({"--auto-aof-rewrite-interval-sec", "60"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.Run({"SET", "a", "1"});
  w.env().manual_clock().AdvanceMs(30000);
  w.engine().Tick();
  EXPECT_FALSE(w.engine().durability().log()->rewrite_in_progress());
  w.env().manual_clock().AdvanceMs(31000);
  w.engine().Tick();
  EXPECT_TRUE(w.engine().durability().log()->rewrite_in_progress());
  FinishRewrite(w);
}

// The simulator's planted bugs: compiled in (ci preset) they must show; in
// other builds the switches must change nothing.
TEST(AofPlantedBugs, AckBeforeFsyncReleasesRepliesEarlyOnlyWhenCompiledIn) {
  AofWorld w({"--appendfsync", "always"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.engine().planted_bugs = kBugAckBeforeFsync;
  std::string reply = w.Run({"SET", "a", "1"}, /*deliver=*/false);
  EXPECT_EQ(reply, kPlantedBugsCompiled ? "+OK\r\n" : "");
}

TEST(AofPlantedBugs, ReplayThatLogsGrowsTheFileOnlyWhenCompiledIn) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.Run({"SET", "a", "1"});
  std::string before = w.File("appendonly.aof.1.incr.aof");
  Config config;
  std::vector<std::string> args = {"--dir", "/data", "--appendonly", "yes"};
  ASSERT_TRUE(config.ApplyArgs(args).ok());
  // A second engine on the same files, its switch set before Start.
  std::string after;
  {
    FakeEnv& env = w.env();
    Engine second(env, std::move(config));
    second.planted_bugs = kBugReplayLogs;
    ASSERT_TRUE(second.Start().ok());
    second.EndBatch();
    after = w.File("appendonly.aof.1.incr.aof");
  }
  EXPECT_EQ(after.size() > before.size(), kPlantedBugsCompiled);
}

TEST(AofEngine, ShutdownWaitsForTheFinalSync) {
  AofWorld w({"--appendfsync", "everysec"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.Run({"SET", "a", "1"}, false);
  w.engine().RequestShutdown(false);
  EXPECT_EQ(w.engine().shutdown_state(), ShutdownState::kRequested);
  w.DeliverSyncs();
  EXPECT_EQ(w.engine().shutdown_state(), ShutdownState::kDone);
  EXPECT_EQ(w.engine().exit_code(), 0);
}

TEST(AofEngine, ShutdownWaitsForTheManifestNamingAFreshBase) {
  // Found by the simulator: a SHUTDOWN right after CONFIG SET appendonly yes
  // exited before the manifest named the new base, so the restart loaded the
  // old files and lost every write made while the log was off.
  AofWorld w({"--appendfsync", "everysec"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  EXPECT_EQ(w.Run({"CONFIG", "SET", "appendonly", "no"}), "+OK\r\n");
  w.Run({"SET", "a", "1"});
  EXPECT_EQ(w.Run({"CONFIG", "SET", "appendonly", "yes"}, false), "+OK\r\n");
  w.engine().RequestShutdown(false);
  EXPECT_EQ(w.engine().shutdown_state(), ShutdownState::kRequested);
  w.DeliverSyncs();
  EXPECT_EQ(w.engine().shutdown_state(), ShutdownState::kDone);
  EXPECT_NE(w.File("appendonly.aof.manifest").find("appendonly.aof.2.base.aof"), std::string::npos);
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"GET", "a"}), "$1\r\n1\r\n");
}

TEST(AofEngine, RecordsHeldForAnUnnamedIncrFileAreNotReplayedAfterTheRepairRewrite) {
  // Found by the simulator: a rewrite whose old incr file failed its fsync
  // never names the new incr file, and the records waiting for that name
  // were later written after the repair rewrite's base, which already held
  // their effects -- an APPEND replayed twice.
  AofWorld w({"--appendfsync", "everysec"});
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.Run({"SET", "x", "1"});
  EXPECT_EQ(w.Run({"BGREWRITEAOF"}, false), "+Background append only file rewriting started\r\n");
  EXPECT_EQ(w.Run({"APPEND", "x", "y"}, false), ":2\r\n");
  auto& pending = w.env().memory_fs().pending_syncs();
  ASSERT_FALSE(pending.empty());
  uint64_t old_incr_sync = pending.front();  // the cut's first request
  pending.pop_front();
  w.engine().OnSynced(old_incr_sync, Status::Io("fdatasync: Input/output error", 5));
  EXPECT_EQ(w.Run({"SET", "z", "1"}, false),
            "-MISCONF Errors writing to the AOF file: Input/output error\r\n");
  // The failed rewrite ends; the automatic repair rewrite follows it.
  for (int i = 0; i < 50 && !w.engine().durability().WriteRefusal().empty(); ++i) {
    w.engine().Tick();
    w.DeliverSyncs();
  }
  EXPECT_EQ(w.Run({"SET", "z", "1"}), "+OK\r\n");
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"GET", "x"}), "$2\r\n1y\r\n");
}

TEST(AofEngine, ConfigSetAppendonlyOffAndOnWritesTheDataSetAsANewBase) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.Run({"SET", "a", "1"});
  EXPECT_EQ(w.Run({"CONFIG", "SET", "appendonly", "no"}), "+OK\r\n");
  w.Run({"SET", "b", "2"});  // not logged
  EXPECT_EQ(w.Run({"CONFIG", "SET", "appendonly", "yes"}), "+OK\r\n");
  w.DeliverSyncs();
  w.Run({"SET", "c", "3"});
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"MGET", "a", "b", "c"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_NE(w.File("appendonly.aof.manifest").find("appendonly.aof.2.base.aof"), std::string::npos);
}

// The walk's marks (durability.h): a walk dropped half-way by CONFIG SET
// appendonly no must not leave entries looking handled to the next cut --
// that rewrite's base would miss them.
TEST(AofEngine, ARewriteAfterAWalkDroppedHalfWayStillWritesEveryKey) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  constexpr int kKeys = 20000;
  for (int i = 0; i < kKeys; ++i) w.Run({"SET", "k" + std::to_string(i), "v"});
  ASSERT_EQ(w.Run({"BGREWRITEAOF"}), "+Background append only file rewriting started\r\n");
  w.Run({"SET", "k1", "w"});  // handled during the walk
  ASSERT_TRUE(w.engine().durability().walking()) << "the walk takes more than one step";
  EXPECT_EQ(w.Run({"CONFIG", "SET", "appendonly", "no"}), "+OK\r\n");
  EXPECT_EQ(w.Run({"CONFIG", "SET", "appendonly", "yes"}), "+OK\r\n");
  w.DeliverSyncs();
  ASSERT_EQ(w.Run({"BGREWRITEAOF"}), "+Background append only file rewriting started\r\n");
  while (w.engine().durability().walking()) w.engine().BackgroundStep();
  FinishRewrite(w);
  ASSERT_TRUE(w.Restart().ok());
  EXPECT_EQ(w.Run({"DBSIZE"}), ":" + std::to_string(kKeys) + "\r\n");
  EXPECT_EQ(w.Run({"GET", "k1"}), "$1\r\nw\r\n");
}

TEST(AofEngine, InfoPersistenceShowsLiveFigures) {
  AofWorld w;
  ASSERT_TRUE(w.Start().ok());
  w.DeliverSyncs();
  w.Run({"SET", "a", "1"});
  std::string info = w.Run({"INFO", "persistence"});
  size_t size = w.File("appendonly.aof.1.incr.aof").size();
  EXPECT_NE(info.find("aof_enabled:1\r\n"), std::string::npos);
  EXPECT_NE(info.find("aof_current_size:" + std::to_string(size) + "\r\n"), std::string::npos);
  EXPECT_NE(info.find("aof_base_size:0\r\n"), std::string::npos);
  EXPECT_NE(info.find("aof_last_write_status:ok\r\n"), std::string::npos);
  EXPECT_NE(info.find("aof_rewrite_in_progress:0\r\n"), std::string::npos);
}

}  // namespace
}  // namespace cairn::testing
