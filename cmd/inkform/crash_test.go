package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/queue"
	"github.com/inkform/inkform/sqlstore"
	"github.com/inkform/inkform/sqlstore/sqlstoretest"
)

// The crash test re-runs this test binary as a worker process: with
// INKFORM_CRASH_CHILD set, TestMain becomes a worker whose job never ends.
const (
	envCrashChild  = "INKFORM_CRASH_CHILD"
	envCrashDSN    = "INKFORM_CRASH_DSN"
	envCrashMarker = "INKFORM_CRASH_MARKER"
	crashLease     = 600 * time.Millisecond
)

// slowArgs is a job kind only the crash test uses.
type slowArgs struct {
	Step string `json:"step"`
}

func (slowArgs) Kind() string { return "crash_test_slow" }

func TestMain(m *testing.M) {
	if os.Getenv(envCrashChild) == "1" {
		crashChild()
		return
	}
	os.Exit(m.Run())
}

// crashChild works slow jobs: it marks that it started one, then hangs
// until the parent kills it.
func crashChild() {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, os.Getenv(envCrashDSN), sqlstore.Options{})
	if err != nil {
		os.Exit(3)
	}
	ws := queue.NewWorkers()
	queue.AddWorker(ws, queue.WorkFunc[slowArgs](func(ctx context.Context, j *queue.Job[slowArgs]) error {
		os.WriteFile(os.Getenv(envCrashMarker), []byte("started"), 0o644)
		select {} // hang mid-job
	}), queue.WorkerOpts{Timeout: time.Hour})
	c, err := queue.NewClient(queue.Config{Store: db, Workers: ws, ID: "doomed-child",
		Queues: map[string]queue.QueueConfig{inkform.QueueDefault: {MaxWorkers: 1}}, PollInterval: 20 * time.Millisecond, Lease: crashLease})
	if err != nil {
		os.Exit(4)
	}
	c.Start(ctx)
	select {}
}

// TestWorkerKilledMidJob: a worker process is killed with SIGKILL while it
// works a job; another worker finishes the job after the lease runs out.
func TestWorkerKilledMidJob(t *testing.T) {
	t.Parallel()
	sqlstoretest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		job, err := db.Enqueue(ctx, "org", slowArgs{Step: "one"}, inkform.EnqueueOpts{})
		if err != nil {
			t.Fatal(err)
		}

		marker := filepath.Join(t.TempDir(), "started")
		child := exec.Command(os.Args[0], "-test.run=^$")
		child.Env = append(os.Environ(), envCrashChild+"=1", envCrashDSN+"="+dsn, envCrashMarker+"="+marker)
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			if _, err := os.Stat(marker); err == nil {
				break
			}
			if time.Now().After(deadline) {
				child.Process.Kill()
				t.Fatal("the child worker never started the job")
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err := child.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		child.Wait()
		running, err := db.ListJobs(ctx, "org", inkform.JobFilter{State: inkform.JobRunning})
		if err != nil || len(running) != 1 || running[0].ID != job.ID {
			t.Fatalf("after the kill, running jobs = %+v, %v; want the slow job", running, err)
		}

		done := make(chan int, 1)
		ws := queue.NewWorkers()
		queue.AddWorker(ws, queue.WorkFunc[slowArgs](func(ctx context.Context, j *queue.Job[slowArgs]) error {
			done <- j.Attempt
			return nil
		}), queue.WorkerOpts{})
		rescuer, err := queue.NewClient(queue.Config{Store: db, Workers: ws, ID: "rescuer",
			Queues:       map[string]queue.QueueConfig{inkform.QueueDefault: {MaxWorkers: 1}},
			PollInterval: 20 * time.Millisecond, Lease: crashLease, ReapInterval: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		rescuer.Start(ctx)
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			rescuer.Stop(sctx)
		})
		select {
		case attempt := <-done:
			if attempt != 2 {
				t.Errorf("the rescuer ran attempt %d; want 2 (the killed worker's was 1)", attempt)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("no other worker finished the killed worker's job")
		}
		deadline = time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			jobs, _ := db.ListJobs(ctx, "org", inkform.JobFilter{State: inkform.JobCompleted})
			if len(jobs) == 1 && jobs[0].ID == job.ID {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Error("the job was worked but not marked completed")
	})
}
