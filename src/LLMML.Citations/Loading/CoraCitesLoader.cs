using System.Text;
using LLMML.Citations.Graphs;

namespace LLMML.Citations.Loading;

/// <summary>
/// Reads Cora's <c>cora.cites</c>: one <c>cited&lt;TAB&gt;citing</c> pair of paper ids per line (note the order:
/// the cited paper first). Edges are stored citing → cited. Classes come from a companion archive when given.
/// </summary>
public static class CoraCitesLoader
{
    /// <summary>Loads the links; <paramref name="labelsFrom"/> (a <c>cora.npz</c>) names each paper's class.</summary>
    public static GraphLoadResult Load(string citesPath, string? labelsFrom = null, CancellationToken cancellationToken = default)
    {
        var builder = new CitationGraphBuilder();
        var diagnostics = new LoadDiagnostics();
        if (labelsFrom is not null)
        {
            var cora = CoraDataset.Read(labelsFrom);
            builder.DeclareFields(cora.ClassNames);
            for (int i = 0; i < cora.NodeNames.Length; i++)
                builder.SetField(builder.Paper(cora.NodeNames[i]), cora.ClassNames[cora.Labels[i]]);
        }
        using var stream = File.OpenRead(citesPath);
        var reader = new Utf8LineReader(stream, citesPath);
        while (reader.TryReadLine(out var line))
        {
            if ((reader.LineNumber & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            var text = Encoding.UTF8.GetString(line.Span).Trim();
            if (text.Length == 0) { diagnostics.BlankLines++; continue; }
            diagnostics.Records++;
            var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                diagnostics.Report(reader.LineNumber, $"expected 'cited<TAB>citing', found {parts.Length} field(s)");
                continue;
            }
            builder.AddCitation(citingId: parts[1], citedId: parts[0]);
        }
        var graph = builder.Build();
        diagnostics.SelfCitations = builder.SelfCitations;
        diagnostics.DuplicateEdges = builder.DuplicateEdges;
        return new GraphLoadResult(graph, diagnostics);
    }
}
