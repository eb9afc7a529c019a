package inkform

import (
	"slices"
	"strings"
	"text/template"
	"text/template/parse"
)

// maxTemplateNodes bounds the size of an e-mail template's parse tree.
const maxTemplateNodes = 2000

// templateFuncs are the functions a tenant's template may call. The
// printing functions are left out on purpose: a format such as
// "%0999999999d" allocates without bound before any output limit applies.
func templateFuncs() []string {
	return []string{"and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "index", "len", "html", "urlquery", "js"}
}

// rangeable lists what a template may range over: the document's values
// and its cutout links, both bounded by the form.
func rangeable() []string { return []string{".Values", ".Links.Cutouts"} }

// checkTemplate refuses what would let a tenant's template run without
// bound on the server: other templates (define, template, block — they
// allow recursion), range over anything but the document's own values,
// a range inside a range, functions outside templateFuncs, and trees over
// maxTemplateNodes nodes. What remains runs in time linear in the
// template and the document.
func checkTemplate(t *template.Template) error {
	if len(t.Templates()) > 1 {
		return Errorf(EINVALID, "define, block and template are not allowed")
	}
	c := &templateChecker{}
	c.walk(t.Tree.Root, 0)
	return c.err
}

// templateChecker walks a parse tree and keeps the first problem.
type templateChecker struct {
	nodes int
	err   error
}

func (c *templateChecker) fail(format string, args ...any) {
	if c.err == nil {
		c.err = Errorf(EINVALID, format, args...)
	}
}

// walk visits n; ranges counts the enclosing range actions.
func (c *templateChecker) walk(n parse.Node, ranges int) {
	if n == nil || c.err != nil {
		return
	}
	if c.nodes++; c.nodes > maxTemplateNodes {
		c.fail("more than %d template elements", maxTemplateNodes)
		return
	}
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, m := range n.Nodes {
			c.walk(m, ranges)
		}
	case *parse.ActionNode:
		c.walk(n.Pipe, ranges)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, cmd := range n.Cmds {
			c.walk(cmd, ranges)
		}
	case *parse.CommandNode:
		for _, arg := range n.Args {
			c.walk(arg, ranges)
		}
	case *parse.IdentifierNode:
		if !slices.Contains(templateFuncs(), n.Ident) {
			c.fail("function %q is not allowed; allowed: %s", n.Ident, strings.Join(templateFuncs(), ", "))
		}
	case *parse.IfNode:
		c.branch(&n.BranchNode, ranges)
	case *parse.WithNode:
		c.branch(&n.BranchNode, ranges)
	case *parse.RangeNode:
		if ranges > 0 {
			c.fail("a range inside a range is not allowed")
			return
		}
		if p := n.Pipe; p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 ||
			!slices.Contains(rangeable(), p.Cmds[0].Args[0].String()) {
			c.fail("range may only go over %s", strings.Join(rangeable(), " or "))
			return
		}
		c.branch(&n.BranchNode, ranges+1)
	case *parse.TemplateNode:
		c.fail("define, block and template are not allowed")
	case *parse.BreakNode, *parse.ContinueNode, *parse.TextNode, *parse.FieldNode, *parse.VariableNode,
		*parse.DotNode, *parse.NilNode, *parse.BoolNode, *parse.NumberNode, *parse.StringNode, *parse.CommentNode:
	case *parse.ChainNode:
		c.walk(n.Node, ranges)
	default:
		c.fail("template element %q is not allowed", n.String())
	}
}

// branch walks the pipeline and both lists of an if, with or range.
func (c *templateChecker) branch(b *parse.BranchNode, ranges int) {
	c.walk(b.Pipe, ranges)
	c.walk(b.List, ranges)
	c.walk(b.ElseList, ranges)
}
