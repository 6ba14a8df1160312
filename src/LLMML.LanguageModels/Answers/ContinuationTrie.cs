namespace LLMML.LanguageModels.Answers;

/// <summary>
/// The forward rows needed to score many continuations of one prompt. A continuation's log-likelihood needs the
/// next-token distribution after each of its proper prefixes; continuations share prefixes (" 1", " 12", " 13" all
/// start with " 1"), so only the trie's inner nodes need a distribution, and one row (prompt + path) yields the
/// distributions of every node along its path. Rows are therefore the inner nodes with no inner child: for answers
/// that are a common prefix plus one token that is a single row; for " 0" … " 198" it is 18 rows instead of 199.
/// </summary>
public sealed class ContinuationTrie
{
    private readonly int[][] _prefixNodes;

    private ContinuationTrie(IReadOnlyList<int[]> paths, IReadOnlyList<int> pathOf, IReadOnlyList<TrieNode> innerNodes, int[][] prefixNodes)
    {
        Paths = paths;
        PathOf = pathOf;
        InnerNodes = innerNodes;
        this._prefixNodes = prefixNodes;
    }

    /// <summary>
    /// The inner nodes below the root — the prefixes after which some continuation goes on — parents before children
    /// (by depth, then token). Decoding them level by level from the prompt's cache costs one token per node.
    /// </summary>
    public IReadOnlyList<TrieNode> InnerNodes { get; }

    /// <summary>For continuation k and 1 ≤ j &lt; |c_k|: the index in <see cref="InnerNodes"/> of the prefix c_k[..j].</summary>
    public int InnerNodeOf(int continuation, int tokens) => _prefixNodes[continuation][tokens - 1];

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
        // Inner nodes breadth first, children by token, so each parent is numbered before its children.
        var inner = new List<TrieNode>();
        var indexOf = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<(Node Node, int Index, int Depth)>();
        queue.Enqueue((root, -1, 0));
        while (queue.Count > 0)
        {
            var (node, index, depth) = queue.Dequeue();
            foreach (var (token, child) in node.Children.Where(c => c.Value.Children.Count > 0).OrderBy(c => c.Key))
            {
                indexOf[child] = inner.Count;
                inner.Add(new TrieNode(index, token, depth + 1));
                queue.Enqueue((child, inner.Count - 1, depth + 1));
            }
        }
        var prefixNodes = new int[continuations.Count][];
        for (var k = 0; k < continuations.Count; k++)
        {
            prefixNodes[k] = new int[continuations[k].Count - 1];
            var node = root;
            for (var j = 1; j < continuations[k].Count; j++)
            {
                node = node.Children[continuations[k][j - 1]];
                prefixNodes[k][j - 1] = indexOf[node];
            }
        }
        return new ContinuationTrie(paths, pathOf, inner, prefixNodes);
    }

    private sealed class Node
    {
        public Dictionary<int, Node> Children { get; } = [];
    }
}

/// <summary>An inner node of a <see cref="ContinuationTrie"/>.</summary>
/// <param name="Parent">Index of the parent in <see cref="ContinuationTrie.InnerNodes"/>, or −1 when the parent is the root (the prompt).</param>
/// <param name="Token">The token leading from the parent to this node.</param>
/// <param name="Depth">Tokens from the root (1 for the root's children).</param>
public readonly record struct TrieNode(int Parent, int Token, int Depth);
