// CrashFs: what survives a crash, per fault, and Linux's fsync-EIO semantics.
#include "sim/crash_fs.h"

#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace cairn::sim {
namespace {

struct Delivered {
  std::vector<std::pair<uint64_t, Status>> events;
  CrashFs::SyncCallback cb() {
    return [this](uint64_t t, const Status& s) { events.emplace_back(t, s); };
  }
};

std::unique_ptr<WritableFile> Open(CrashFs& fs, const std::string& path) {
  auto f = fs.OpenAppend(path, false);
  EXPECT_TRUE(f.ok()) << f.status().message();
  return std::move(f).value();
}

void Write(WritableFile& f, std::string_view data) {
  size_t n = 0;
  ASSERT_TRUE(f.Append(data, &n).ok());
  ASSERT_EQ(n, data.size());
}

TEST(CrashFs, SyncedFileAndNameSurviveACrash) {
  CrashFs fs(SimRandom(1), CrashFsFaults::None());
  fs.CreateDir("/d");
  auto f = Open(fs, "/d/a");
  Write(*f, "hello");
  Delivered d;
  fs.RequestSync(*f, 1);
  fs.RequestDirSync("/d", 2);
  fs.DeliverAll(d.cb());
  ASSERT_EQ(d.events.size(), 2u);
  fs.Crash();
  EXPECT_EQ(fs.Snapshot(), (std::map<std::string, std::string>{{"/d/a", "hello"}}));
  // The old handle is dead.
  size_t n = 0;
  EXPECT_FALSE(f->Append("x", &n).ok());
}

TEST(CrashFs, CreateWithoutDirSyncMayBeUndone) {
  CrashFsFaults faults;
  faults.names_undone = 1000;
  int undone = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    CrashFs fs(SimRandom(seed), faults);
    fs.CreateDir("/d");
    auto f = Open(fs, "/d/a");
    Write(*f, "x");
    Delivered d;
    fs.RequestSync(*f, 1);  // the file's bytes, not its name
    fs.DeliverAll(d.cb());
    fs.Crash();
    undone += !fs.Exists("/d/a");
  }
  EXPECT_EQ(undone, 20);  // a single unsynced op: the kept prefix is empty
}

TEST(CrashFs, RenameWithoutDirSyncMayBeUndoneButDirSyncKeepsIt) {
  CrashFsFaults faults;
  faults.names_undone = 1000;
  CrashFs fs(SimRandom(3), faults);
  fs.CreateDir("/d");
  auto f = Open(fs, "/d/tmp");
  Write(*f, "m1");
  Delivered d;
  fs.RequestSync(*f, 1);
  fs.RequestDirSync("/d", 2);
  fs.DeliverAll(d.cb());
  ASSERT_TRUE(fs.Rename("/d/tmp", "/d/manifest").ok());
  fs.Crash();
  EXPECT_TRUE(fs.Exists("/d/tmp"));
  EXPECT_FALSE(fs.Exists("/d/manifest"));

  ASSERT_TRUE(fs.Rename("/d/tmp", "/d/manifest").ok());
  fs.RequestDirSync("/d", 3);
  fs.DeliverAll(d.cb());
  fs.Crash();
  EXPECT_FALSE(fs.Exists("/d/tmp"));
  EXPECT_EQ(fs.Snapshot()["/d/manifest"], "m1");
}

TEST(CrashFs, FailedSyncDropsPagesAndTheRetryLies) {
  CrashFsFaults faults;
  faults.sync_eio = 1000;
  CrashFs fs(SimRandom(5), faults);
  fs.CreateDir("/d");
  auto f = Open(fs, "/d/a");
  Delivered d;
  fs.RequestDirSync("/d", 9);
  fs.DeliverAll(d.cb());
  Write(*f, "AAAA");
  fs.RequestSync(*f, 1);
  fs.DeliverAll(d.cb());
  ASSERT_EQ(d.events.back().second.code(), Status::Code::kIo);
  fs.faults().sync_eio = 0;
  Write(*f, "BB");
  fs.RequestSync(*f, 2);
  fs.DeliverAll(d.cb());
  EXPECT_TRUE(d.events.back().second.ok());  // the retry reports success...
  fs.Crash();
  // ...but the pages the failed sync dropped are gone.
  EXPECT_EQ(fs.Snapshot()["/d/a"], std::string("\0\0\0\0BB", 6));
}

TEST(CrashFs, UnsyncedTailLostKeptOrTornAtASector) {
  std::set<size_t> sizes;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    CrashFsFaults faults;
    faults.tail_lost = 300;
    faults.tail_torn = 500;
    CrashFs fs(SimRandom(seed), faults);
    fs.CreateDir("/d");
    auto f = Open(fs, "/d/a");
    Delivered d;
    Write(*f, std::string(100, 's'));
    fs.RequestSync(*f, 1);
    fs.RequestDirSync("/d", 2);
    fs.DeliverAll(d.cb());
    Write(*f, std::string(2000, 'u'));
    fs.Crash();
    std::string got = fs.Snapshot()["/d/a"];
    ASSERT_GE(got.size(), 100u);
    EXPECT_EQ(got.substr(0, 100), std::string(100, 's'));
    EXPECT_TRUE(got.size() == 100 || got.size() == 2100 || got.size() % 512 == 0) << got.size();
    sizes.insert(got.size());
  }
  EXPECT_TRUE(sizes.count(100));
  EXPECT_TRUE(sizes.count(2100));
  EXPECT_GE(sizes.size(), 4u);  // and some torn lengths
}

TEST(CrashFs, PagesSurviveOutOfOrder) {
  bool hole = false;
  for (uint64_t seed = 1; seed <= 40 && !hole; ++seed) {
    CrashFsFaults faults;
    faults.pages_reorder = 1000;
    CrashFs fs(SimRandom(seed), faults);
    fs.CreateDir("/d");
    auto f = Open(fs, "/d/a");
    Delivered d;
    fs.RequestDirSync("/d", 2);
    fs.DeliverAll(d.cb());
    Write(*f, std::string(4096 * 4, 'p'));
    fs.Crash();
    std::string got = fs.Snapshot()["/d/a"];
    EXPECT_EQ(got.size() % 512, 0u);  // sector by sector
    for (size_t sector = 0; sector + 512 <= got.size(); sector += 512) {
      if (got[sector] == '\0' && sector + 512 < got.size()) hole = true;
    }
  }
  EXPECT_TRUE(hole);  // a later sector kept while an earlier one was lost
}

TEST(CrashFs, OnlyAPreallocatingFileComesBackWithZerosAfterItsData) {
  std::set<size_t> zeros_seen;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    CrashFsFaults faults;
    faults.zero_tail = 1000;
    CrashFs fs(SimRandom(seed), faults);
    fs.CreateDir("/d");
    auto log = Open(fs, "/d/log");
    auto plain = Open(fs, "/d/plain");
    log->SetPreallocation(1 << 20);
    Write(*log, "synced\n");
    Write(*plain, "synced\n");
    Delivered d;
    fs.RequestDirSync("/d", 1);
    fs.RequestSync(*log, 2);
    fs.RequestSync(*plain, 3);
    fs.DeliverAll(d.cb());
    fs.Crash();
    auto files = fs.Snapshot();
    EXPECT_EQ(files["/d/plain"], "synced\n");
    const std::string& got = files["/d/log"];
    ASSERT_GT(got.size(), 7u);
    EXPECT_EQ(got.substr(0, 7), "synced\n");
    EXPECT_EQ(got.find_first_not_of('\0', 7), std::string::npos);
    zeros_seen.insert(got.size() - 7);
    // The zeros are the file's bytes now; a new handle must ask again.
    fs.Crash();
    EXPECT_EQ(fs.Snapshot()["/d/log"], got);
  }
  EXPECT_GE(zeros_seen.size(), 10u);  // of many lengths, up to a few sectors
  EXPECT_LE(*zeros_seen.rbegin(), 3u * 512u);
  EXPECT_EQ(CrashFs(SimRandom(1), CrashFsFaults::None()).faults().zero_tail, 0u);
}

TEST(CrashFs, CompletionsComeLateAndOutOfOrder) {
  CrashFsFaults faults;
  faults.sync_reorder = 500;
  faults.max_sync_delay_us = 1000;
  CrashFs fs(SimRandom(11), faults);
  fs.CreateDir("/d");
  auto f = Open(fs, "/d/a");
  for (uint64_t t = 1; t <= 50; ++t) fs.RequestSync(*f, t);
  Delivered d;
  EXPECT_EQ(fs.DeliverDue(0, d.cb()), d.events.size());
  fs.DeliverAll(d.cb());
  ASSERT_EQ(d.events.size(), 50u);
  bool out_of_order = false;
  for (size_t i = 1; i < d.events.size(); ++i)
    out_of_order |= d.events[i].first < d.events[i - 1].first;
  EXPECT_TRUE(out_of_order);
}

TEST(CrashFs, LostSyncNeverCompletesAndItsDataNeedNotSurvive) {
  CrashFsFaults faults;
  faults.sync_lost = 1000;
  faults.tail_lost = 1000;
  faults.names_undone = 1000;
  CrashFs fs(SimRandom(2), faults);
  fs.CreateDir("/d");
  auto f = Open(fs, "/d/a");
  Delivered d;
  fs.RequestDirSync("/d", 1);  // lost as well
  Write(*f, "zz");
  fs.RequestSync(*f, 2);
  EXPECT_EQ(fs.DeliverAll(d.cb()), 0u);
  fs.Crash();
  EXPECT_EQ(fs.stats().syncs_lost, 2u);
  EXPECT_FALSE(fs.Exists("/d/a"));
}

TEST(CrashFs, EnospcAndShortWritesReportWhatWasWritten) {
  CrashFsFaults faults;
  faults.enospc = 500;
  faults.short_write = 500;
  CrashFs fs(SimRandom(4), faults);
  fs.CreateDir("/d");
  auto f = Open(fs, "/d/a");
  std::string expect;
  for (int i = 0; i < 200; ++i) {
    std::string chunk(10, static_cast<char>('a' + i % 26));
    size_t n = 99;
    Status st = f->Append(chunk, &n);
    ASSERT_LE(n, chunk.size());
    if (!st.ok()) {
      EXPECT_EQ(st.code(), Status::Code::kNoSpace);
    }
    expect += chunk.substr(0, n);
  }
  EXPECT_EQ(fs.Snapshot()["/d/a"], expect);
  EXPECT_GT(fs.stats().enospc, 0u);
  EXPECT_GT(fs.stats().short_writes, 0u);
}

TEST(CrashFs, SwarmPicksDifferentMixes) {
  std::set<uint32_t> eio;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    SimRandom r(seed);
    eio.insert(CrashFsFaults::Swarm(r).sync_eio);
  }
  EXPECT_TRUE(eio.count(0));
  EXPECT_GE(eio.size(), 5u);
}

// --- Scripted faults (sim/scenarios.h). ---

TEST(CrashFs, FailNextSyncFailsOnlyThatFilesNextSync) {
  CrashFs fs(SimRandom(1), CrashFsFaults::None());
  fs.CreateDir("/d");
  auto a = Open(fs, "/d/a");
  auto b = Open(fs, "/d/b");
  Write(*a, "aaaa");
  Write(*b, "bbbb");
  fs.FailNextSync("/d/a");
  fs.RequestSync(*a, 1);
  fs.RequestSync(*b, 2);
  Delivered d;
  fs.DeliverAll(d.cb());
  std::map<uint64_t, bool> ok;
  for (const auto& [t, st] : d.events) ok[t] = st.ok();
  EXPECT_EQ(ok, (std::map<uint64_t, bool>{{1, false}, {2, true}}));
  Write(*a, "A");
  fs.RequestSync(*a, 3);  // one-shot: the next one succeeds
  fs.DeliverAll(d.cb());
  EXPECT_TRUE(d.events.back().second.ok());
  EXPECT_EQ(fs.stats().sync_eio, 1u);
}

TEST(CrashFs, FailNextAppendShortOrNoSpaceWritesWhatItSays) {
  CrashFs fs(SimRandom(1), CrashFsFaults::None());
  fs.CreateDir("/d");
  auto a = Open(fs, "/d/a");
  fs.FailNextAppend("/d/a", CrashFs::AppendFault::kShort, 3);
  size_t n = 0;
  EXPECT_TRUE(a->Append("0123456789", &n).ok());
  EXPECT_EQ(n, 3u);
  fs.FailNextAppend("/d/a", CrashFs::AppendFault::kNoSpace, 2);
  Status st = a->Append("abcdef", &n);
  EXPECT_EQ(st.code(), Status::Code::kNoSpace);
  EXPECT_EQ(n, 2u);
  EXPECT_TRUE(a->Append("xyz", &n).ok());  // one-shot
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(fs.Snapshot()["/d/a"], "012abxyz");
}

// A file with 100 synced bytes and 5000 unsynced ones.
std::unique_ptr<WritableFile> HalfSynced(CrashFs& fs, const std::string& path) {
  auto f = Open(fs, path);
  Delivered d;
  Write(*f, std::string(100, 's'));
  fs.RequestSync(*f, 1);
  fs.RequestDirSync("/d", 2);
  fs.DeliverAll(d.cb());
  std::string tail;
  for (int i = 0; i < 5000; ++i) tail += static_cast<char>('a' + i % 26);
  Write(*f, tail);
  return f;
}

TEST(CrashFs, PlannedTailOutcomesPerFile) {
  CrashFs fs(SimRandom(1), CrashFsFaults::None());
  fs.CreateDir("/d");
  auto lost = HalfSynced(fs, "/d/lost");
  auto kept = HalfSynced(fs, "/d/kept");
  auto torn = HalfSynced(fs, "/d/torn");
  auto garbage = HalfSynced(fs, "/d/garbage");
  auto pages = HalfSynced(fs, "/d/pages");
  std::string full = fs.Snapshot()["/d/kept"];
  fs.PlanCrashTail("/d/lost", CrashFs::TailPlan{CrashFs::TailPlan::kLost});
  fs.PlanCrashTail("/d/torn", CrashFs::TailPlan{CrashFs::TailPlan::kTorn, 2});
  fs.PlanCrashTail("/d/garbage", CrashFs::TailPlan{CrashFs::TailPlan::kGarbage, 1, 7});
  // The tail touches pages 0 (bytes 100..4095) and 1: keep only page 1.
  fs.PlanCrashTail("/d/pages", CrashFs::TailPlan{CrashFs::TailPlan::kPages, 0, 0, 0b10});
  fs.Crash();
  auto got = fs.Snapshot();
  EXPECT_EQ(got["/d/lost"], full.substr(0, 100));
  EXPECT_EQ(got["/d/kept"], full);
  EXPECT_EQ(got["/d/torn"], full.substr(0, 1024));
  EXPECT_EQ(got["/d/garbage"].size(), 512u + 7);
  EXPECT_EQ(got["/d/garbage"].substr(0, 512), full.substr(0, 512));
  EXPECT_EQ(got["/d/pages"],
            full.substr(0, 100) + std::string(4096 - 100, '\0') + full.substr(4096));
  // Plans are one-shot: a later unsynced tail is kept by default.
  auto again = Open(fs, "/d/lost");
  Write(*again, "more");
  fs.Crash();
  EXPECT_EQ(fs.Snapshot()["/d/lost"], full.substr(0, 100) + "more");
}

TEST(CrashFs, PlannedNamesKeepAPrefixOfTheUnsyncedOperations) {
  for (size_t keep = 0; keep <= 3; ++keep) {
    CrashFs fs(SimRandom(1), CrashFsFaults::None());
    fs.CreateDir("/d");
    Delivered d;
    fs.RequestDirSync("/d", 1);
    fs.DeliverAll(d.cb());
    auto t = Open(fs, "/d/tmp");                    // op 1: create tmp
    ASSERT_TRUE(fs.Rename("/d/tmp", "/d/m").ok());  // op 2: rename
    auto x = Open(fs, "/d/x");                      // op 3: create x
    EXPECT_EQ(fs.unsynced_name_ops("/d"), 3u);
    fs.PlanCrashNames("/d", keep);
    fs.Crash();
    EXPECT_EQ(fs.Exists("/d/tmp"), keep == 1) << keep;
    EXPECT_EQ(fs.Exists("/d/m"), keep >= 2) << keep;
    EXPECT_EQ(fs.Exists("/d/x"), keep >= 3) << keep;
  }
}

TEST(CrashFs, DeliverOneCompletesAChosenSyncFirst) {
  CrashFs fs(SimRandom(1), CrashFsFaults::None());
  fs.CreateDir("/d");
  auto a = Open(fs, "/d/a");
  Write(*a, "aa");
  fs.RequestSync(*a, 1);
  fs.RequestDirSync("/d", 2);
  auto pending = fs.PendingSyncs();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].path, "/d/a");
  EXPECT_FALSE(pending[0].dir);
  EXPECT_EQ(pending[1].path, "/d");
  EXPECT_TRUE(pending[1].dir);
  Delivered d;
  EXPECT_TRUE(fs.DeliverOne(2, d.cb()));
  EXPECT_FALSE(fs.DeliverOne(2, d.cb()));
  EXPECT_EQ(fs.DurableSize("/d/a"), 0u);  // named, contents not synced yet
  EXPECT_TRUE(fs.DeliverOne(1, d.cb()));
  EXPECT_EQ(fs.DurableSize("/d/a"), 2u);
  ASSERT_EQ(d.events.size(), 2u);
  EXPECT_EQ(d.events[0].first, 2u);
}

TEST(CrashFs, CorruptRotsDurableBytes) {
  CrashFs fs(SimRandom(1), CrashFsFaults::None());
  fs.CreateDir("/d");
  auto a = HalfSynced(fs, "/d/a");
  ASSERT_TRUE(fs.Corrupt("/d/a", 10, "XY").ok());
  EXPECT_FALSE(fs.Corrupt("/d/a", 5100, "XY").ok());
  fs.PlanCrashTail("/d/a", CrashFs::TailPlan{CrashFs::TailPlan::kLost});
  fs.Crash();
  EXPECT_EQ(fs.Snapshot()["/d/a"], std::string(10, 's') + "XY" + std::string(88, 's'));
}

}  // namespace
}  // namespace cairn::sim
