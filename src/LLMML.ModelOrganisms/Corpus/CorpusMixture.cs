namespace LLMML.ModelOrganisms.Corpus;

/// <summary>
/// An endless, seeded stream of corpus lines drawn from weighted <see cref="ISentenceSource"/>s.
/// Nothing is materialised: a training run of S steps reads exactly the lines it needs, and the
/// same seed always yields the same stream.
/// </summary>
public sealed class CorpusMixture
{
    private readonly (ISentenceSource Source, double Weight)[] _sources;
    private readonly double[] _cumulative;

    public CorpusMixture(IEnumerable<(ISentenceSource Source, double Weight)> sources)
    {
        _sources = sources.ToArray();
        if (_sources.Length == 0) throw new ArgumentException("A corpus needs at least one sentence source.", nameof(sources));
        foreach (var (source, weight) in _sources)
            if (!(weight > 0) || double.IsInfinity(weight))
                throw new ArgumentException($"Weight of source '{source.Name}' must be positive and finite, got {weight}.", nameof(sources));
        double total = _sources.Sum(s => s.Weight), running = 0;
        _cumulative = _sources.Select(s => running += s.Weight / total).ToArray();
        _cumulative[^1] = 1.0;
    }

    /// <summary>The sources and their normalised shares.</summary>
    public IReadOnlyList<(string Name, double Share)> Shares =>
        _sources.Select((s, k) => (s.Source.Name, _cumulative[k] - (k == 0 ? 0 : _cumulative[k - 1]))).ToArray();

    /// <summary>Draws one line from a source picked by weight.</summary>
    public string NextLine(Random random)
    {
        double u = random.NextDouble();
        int k = Array.FindIndex(_cumulative, c => u < c);
        return _sources[k < 0 ? _sources.Length - 1 : k].Source.Next(random);
    }

    /// <summary>
    /// A window of exactly <paramref name="length"/> characters cut from consecutive lines joined by
    /// newlines, starting at a line boundary so the model sees whole sentences from their start.
    /// </summary>
    public string NextWindow(Random random, int length)
    {
        var text = new System.Text.StringBuilder(length + 128);
        while (text.Length < length)
            text.Append(NextLine(random)).Append('\n');
        return text.ToString(0, length);
    }
}
