package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/inkform/inkform"
	"github.com/inkform/inkform/sqlstore"
)

// clusterFlags are the flags of the cluster commands: a node's storage and
// object store, whose shared settings they show or record.
type clusterFlags struct {
	adminFlags
	blob blobConfig
}

// parseClusterFlags parses a cluster command's flags and opens what they
// name (see open).
func parseClusterFlags(ctx context.Context, name string, args []string, stderr io.Writer) (*sqlstore.DB, inkform.ClusterNode, func(), error) {
	var c clusterFlags
	fs := newFlagSet(name, "", stderr)
	c.store.register(fs)
	c.blob.register(fs)
	c.log.register(fs)
	if _, err := parseArgs(fs, args, 0); err != nil {
		return nil, inkform.ClusterNode{}, nil, err
	}
	return c.open(ctx, name, stderr)
}

// open opens the database and the object store as a node would and returns
// this node's shared settings; the caller closes the returned function.
func (c *clusterFlags) open(ctx context.Context, name string, stderr io.Writer) (*sqlstore.DB, inkform.ClusterNode, func(), error) {
	db, err := c.openStore(ctx, stderr)
	if err != nil {
		return nil, inkform.ClusterNode{}, nil, err
	}
	blobs, err := c.blob.open(ctx, c.store.Data)
	if err != nil {
		db.Close()
		return nil, inkform.ClusterNode{}, nil, err
	}
	closeAll := func() {
		if cl, ok := blobs.(io.Closer); ok {
			cl.Close()
		}
		db.Close()
	}
	me, err := clusterNode(ctx, name, c.store, c.blob, blobs)
	if err != nil {
		closeAll()
		return nil, inkform.ClusterNode{}, nil, err
	}
	return db, me, closeAll, nil
}

// runClusterSettings prints the recorded settings and whether this node,
// with the flags given, would be refused: a dry run of a node's start.
func runClusterSettings(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	db, me, closeAll, err := parseClusterFlags(ctx, "cluster settings", args, stderr)
	if err != nil {
		return err
	}
	defer closeAll()
	recorded, err := db.ClusterSettings(ctx)
	if err != nil {
		return err
	}
	printSettings(stdout, recorded)
	if err := inkform.CheckClusterSettings(me, recorded); err != nil {
		return fmt.Errorf("%w\n%s", err, resetHint)
	}
	fmt.Fprintln(stdout, "\nThis node's settings match the cluster's.")
	return nil
}

// runClusterReset records this node's settings as the cluster's: the escape
// hatch for a deliberate change of object store or secret key. Nodes with
// the old settings stop being ready at their next check.
func runClusterReset(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	db, me, closeAll, err := parseClusterFlags(ctx, "cluster reset-settings", args, stderr)
	if err != nil {
		return err
	}
	defer closeAll()
	before, err := db.ClusterSettings(ctx)
	if err != nil {
		return err
	}
	if err := db.ResetClusterSettings(ctx, me.Name, me.Settings); err != nil {
		return err
	}
	after, err := db.ClusterSettings(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Before:")
	printSettings(stdout, before)
	fmt.Fprintln(stdout, "\nNow:")
	printSettings(stdout, after)
	return nil
}

// printSettings writes recorded settings as a table.
func printSettings(w io.Writer, settings []inkform.ClusterSetting) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tVALUE\tRECORDED BY\tAT\tFROM")
	for _, s := range settings {
		node, at := s.Node, "—"
		if node == "" {
			node = "a migration"
		}
		if !s.At.IsZero() {
			at = s.At.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Name, s.Value, node, at, s.Detail)
	}
	tw.Flush()
}
