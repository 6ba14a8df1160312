namespace LLMML.Citations.Graphs;

/// <summary>
/// What a source said about one citation edge. Semantic Scholar marks a citation as influential and
/// gives its intents; other sources say nothing, which <see cref="Annotated"/> tells apart from "no intent".
/// </summary>
[Flags]
public enum EdgeFlags : byte
{
    /// <summary>No information.</summary>
    None = 0,
    /// <summary>The source flagged the citation as influential.</summary>
    Influential = 1,
    /// <summary>Intent "background".</summary>
    Background = 2,
    /// <summary>Intent "methodology".</summary>
    Methodology = 4,
    /// <summary>Intent "result" (Semantic Scholar's "result comparison").</summary>
    Result = 8,
    /// <summary>The source carried influence/intent data for this edge (so missing intents mean "none").</summary>
    Annotated = 16,
}
