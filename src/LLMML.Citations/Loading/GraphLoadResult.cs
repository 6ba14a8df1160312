using LLMML.Citations.Graphs;

namespace LLMML.Citations.Loading;

/// <summary>A loaded graph and what the loader had to say about its input.</summary>
/// <param name="Graph">The citation graph (edges citing → cited).</param>
/// <param name="Diagnostics">Counts and line numbers of malformed or merged records.</param>
public sealed record GraphLoadResult(CitationGraph Graph, LoadDiagnostics Diagnostics);
