using LLMML.Rasp.Language;

namespace LLMML.Rasp.Passes;

/// <summary>
/// Compiler pass: the expression graph of a program, in topological order (inputs first), with
/// unique labels. tracr keys nodes by label, so two expressions both named "frac_prevs" merge
/// silently; here the later one is renamed "frac_prevs_2".
/// </summary>
public sealed class ProgramGraph
{
    private readonly Dictionary<RaspExpr, string> _labels = new();
    private readonly Dictionary<RaspExpr, List<RaspExpr>> _consumers = new();

    private ProgramGraph(SOp output) => Output = output;

    /// <summary>The output SOp.</summary>
    public SOp Output { get; }

    /// <summary>Every expression, children before parents.</summary>
    public IReadOnlyList<RaspExpr> Nodes { get; private set; } = [];

    /// <summary>The SOps among <see cref="Nodes"/>.</summary>
    public IEnumerable<SOp> SOps => Nodes.OfType<SOp>();

    /// <summary>Unique label of an expression.</summary>
    public string LabelOf(RaspExpr e) => _labels[e];

    /// <summary>"kind 'label'", the way errors name a node.</summary>
    public string Describe(RaspExpr e) => $"{e.Kind} '{LabelOf(e)}'";

    /// <summary>The expressions that read <paramref name="e"/>.</summary>
    public IReadOnlyList<RaspExpr> ConsumersOf(RaspExpr e) => _consumers.TryGetValue(e, out var c) ? c : [];

    /// <summary>Builds the graph reachable from <paramref name="output"/>.</summary>
    public static ProgramGraph Build(SOp output)
    {
        var g = new ProgramGraph(output);
        var order = ExpressionOrder.Of(output);
        foreach (var node in order)
            foreach (var child in node.Children.Distinct())
            {
                if (!g._consumers.TryGetValue(child, out var list)) g._consumers[child] = list = [];
                list.Add(node);
            }
        g.Nodes = order;
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in order)
        {
            var label = e.Label;
            for (var k = 2; !used.Add(label); k++) label = $"{e.Label}_{k}";
            g._labels[e] = label;
        }
        return g;
    }
}
