using System.Text.Json.Nodes;

namespace LLMML.Sweeps.SearchSpaces;

/// <summary>An integer in [min, max], uniform or (<paramref name="logBase"/>) log-uniform (ranks, step counts).</summary>
public sealed class UniformIntOption(int min, int max, bool logBase = false, int? defaultValue = null) : OptionBase
{
    private int? _default = defaultValue;

    /// <summary>Smallest value.</summary>
    public int Min { get; } = min;

    /// <summary>Largest value.</summary>
    public int Max { get; } = max;

    /// <summary>Searched on a log scale.</summary>
    public bool LogBase { get; } = logBase;

    /// <inheritdoc />
    public override int FeatureSpaceDim => 1;

    /// <inheritdoc />
    public override JsonNode? DefaultValue => JsonValue.Create(_default ?? FromUnit(0.5));

    /// <inheritdoc />
    public override JsonNode? SampleFromFeatureSpace(ReadOnlySpan<double> x) => JsonValue.Create(FromUnit(Clamp01(x[0])));

    /// <inheritdoc />
    public override double[] MappingToFeatureSpace(JsonNode? value) => [ToUnit(Number(value) is { } v ? (int)Math.Round(v) : FromUnit(0.5))];

    /// <inheritdoc />
    public override IReadOnlyList<JsonNode?> GridValues(int steps)
    {
        long count = (long)Max - Min + 1;
        if (count <= Math.Max(steps, 1))
            return Enumerable.Range(Min, (int)count).Select(i => (JsonNode?)JsonValue.Create(i)).ToArray();
        if (steps <= 1) return [DefaultValue];
        return Enumerable.Range(0, steps).Select(i => FromUnitEdges((double)i / (steps - 1))).Distinct()
            .Select(i => (JsonNode?)JsonValue.Create(i)).ToArray();
    }

    // Each integer owns an equal cell of [0, 1] (of log-space for log options), so uniform sampling is uniform over integers.
    internal int FromUnit(double u)
    {
        if (LogBase)
        {
            double lo = Math.Log(Min - 0.5 <= 0 ? Min : Min - 0.5), hi = Math.Log(Max + 0.5);
            return Math.Clamp((int)Math.Round(Math.Exp(lo + u * (hi - lo))), Min, Max);
        }
        return Math.Clamp(Min + (int)Math.Floor(u * ((double)Max - Min + 1)), Min, Max);
    }

    internal double ToUnit(int v)
    {
        if (LogBase)
        {
            double lo = Math.Log(Min - 0.5 <= 0 ? Min : Min - 0.5), hi = Math.Log(Max + 0.5);
            return Clamp01((Math.Log(v) - lo) / (hi - lo));
        }
        return Clamp01((v - Min + 0.5) / ((double)Max - Min + 1));
    }

    // Grid points include both ends exactly.
    private int FromUnitEdges(double u) => LogBase
        ? Math.Clamp((int)Math.Round(Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min)))), Min, Max)
        : Math.Clamp((int)Math.Round(Min + u * ((double)Max - Min)), Min, Max);

    internal override void Validate(string name)
    {
        if (Min > Max) throw new ArgumentException($"Parameter '{name}': empty range [{Min}, {Max}] (min must not exceed max).", name);
        if (LogBase && Min <= 0) throw new ArgumentException($"Parameter '{name}': log-uniform range [{Min}, {Max}] must be above 0.", name);
        if (_default is { } d && (d < Min || d > Max))
            throw new ArgumentException($"Parameter '{name}': default {d} is outside [{Min}, {Max}].", name);
    }

    internal override void AdoptDefault(JsonNode? value)
    {
        if (_default is null && Number(value) is { } d && d == Math.Round(d) && d >= Min && d <= Max) _default = (int)d;
    }
}
