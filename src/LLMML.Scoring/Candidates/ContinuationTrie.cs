namespace LLMML.Scoring.Candidates;

/// <summary>
/// The forward rows needed to score many continuations of one prompt. A continuation's log-likelihood needs the
/// next-token distribution after each of its proper prefixes; continuations share prefixes (" 1", " 12", " 13" all
/// start with " 1"), so only the trie's inner nodes need a distribution, and one row (prompt + path) yields the
/// distributions of every node along its path. Rows are therefore the inner nodes with no inner child: for answers
/// that are a common prefix plus one token that is a single row; for " 0" … " 198" it is 18 rows instead of 199.
/// </summary>
internal sealed class ContinuationTrie
{
    private ContinuationTrie(IReadOnlyList<int[]> paths, IReadOnlyList<int> pathOf)
    {
        Paths = paths;
        PathOf = pathOf;
    }

    /// <summary>Token ids to append to the prompt, one array per forward row.</summary>
    public IReadOnlyList<int[]> Paths { get; }

    /// <summary>For continuation k, the index of the row whose path starts with all of k's tokens but the last.</summary>
    public IReadOnlyList<int> PathOf { get; }

    /// <summary>Builds the rows for <paramref name="continuations"/> (each non-empty).</summary>
    public static ContinuationTrie Build(IReadOnlyList<IReadOnlyList<int>> continuations)
    {
        ArgumentNullException.ThrowIfNull(continuations);
        var root = new Node();
        for (var k = 0; k < continuations.Count; k++)
        {
            if (continuations[k].Count == 0) throw new ArgumentException($"Continuation {k} has no tokens.", nameof(continuations));
            var node = root;
            foreach (var token in continuations[k])
            {
                if (!node.Children.TryGetValue(token, out var child)) node.Children[token] = child = new Node();
                node = child;
            }
        }

        var paths = new List<int[]>();
        var rowOfLeaf = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var pathOf = new int[continuations.Count];
        for (var k = 0; k < continuations.Count; k++)
        {
            var tokens = new List<int>();
            var node = root;
            for (var j = 0; j < continuations[k].Count - 1; j++)
            {
                node = node.Children[continuations[k][j]];
                tokens.Add(continuations[k][j]);
            }
            // Descend through inner children (smallest token first, for determinism) to an inner node with none.
            while (node.Children.Where(c => c.Value.Children.Count > 0).OrderBy(c => c.Key).FirstOrDefault() is { Value: not null } next)
            {
                tokens.Add(next.Key);
                node = next.Value;
            }
            if (!rowOfLeaf.TryGetValue(node, out var row))
            {
                rowOfLeaf[node] = row = paths.Count;
                paths.Add(tokens.ToArray());
            }
            pathOf[k] = row;
        }
        return new ContinuationTrie(paths, pathOf);
    }

    private sealed class Node
    {
        public Dictionary<int, Node> Children { get; } = [];
    }
}
