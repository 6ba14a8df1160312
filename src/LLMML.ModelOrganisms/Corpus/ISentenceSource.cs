namespace LLMML.ModelOrganisms.Corpus;

/// <summary>One kind of corpus line (multiplication facts, bracket statements, ...), drawn at random.</summary>
public interface ISentenceSource
{
    /// <summary>A short name used in corpus statistics.</summary>
    string Name { get; }

    /// <summary>Draws one line (no trailing newline).</summary>
    string Next(Random random);
}
