namespace LLMML.Rasp.Language;

/// <summary>
/// The expressions a program reads, children before parents. Found with an explicit stack, because
/// a program can be thousands of nodes deep (one SOp a line) and recursion would overflow the
/// thread's stack.
/// </summary>
public static class ExpressionOrder
{
    public static List<RaspExpr> Of(RaspExpr root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var order = new List<RaspExpr>();
        var seen = new HashSet<RaspExpr>();
        var stack = new Stack<(RaspExpr Node, bool Expanded)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (expanded) { order.Add(node); continue; }
            if (!seen.Add(node)) continue;
            stack.Push((node, true));
            for (var i = node.Children.Count - 1; i >= 0; i--)
                if (!seen.Contains(node.Children[i])) stack.Push((node.Children[i], false));
        }
        return order;
    }
}
