using System.Globalization;
using System.Text.Json.Nodes;

namespace LLMML.Sweeps.SearchSpaces;

/// <summary>A real number in [min, max], uniform or (<paramref name="logBase"/>) log-uniform.</summary>
public sealed class UniformDoubleOption(double min, double max, bool logBase = false, double? defaultValue = null) : OptionBase
{
    private double? _default = defaultValue;

    /// <summary>Smallest value.</summary>
    public double Min { get; } = min;

    /// <summary>Largest value.</summary>
    public double Max { get; } = max;

    /// <summary>Searched on a log scale (learning rates, regularisation).</summary>
    public bool LogBase { get; } = logBase;

    /// <inheritdoc />
    public override int FeatureSpaceDim => 1;

    /// <inheritdoc />
    public override JsonNode? DefaultValue => JsonValue.Create(_default ?? FromUnit(0.5));

    /// <inheritdoc />
    public override JsonNode? SampleFromFeatureSpace(ReadOnlySpan<double> x) => JsonValue.Create(FromUnit(Clamp01(x[0])));

    /// <inheritdoc />
    public override double[] MappingToFeatureSpace(JsonNode? value) => [ToUnit(Number(value) ?? FromUnit(0.5))];

    /// <inheritdoc />
    public override IReadOnlyList<JsonNode?> GridValues(int steps) => steps <= 1
        ? [DefaultValue]
        : Enumerable.Range(0, steps).Select(i => (JsonNode?)JsonValue.Create(FromUnit((double)i / (steps - 1)))).ToArray();

    internal double FromUnit(double u)
    {
        double v = LogBase ? Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min))) : Min + u * (Max - Min);
        return Math.Clamp(v, Min, Max);
    }

    internal double ToUnit(double v) => Clamp01(LogBase ? (Math.Log(v) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min)) : (v - Min) / (Max - Min));

    internal override void Validate(string name)
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max) || Min >= Max)
            throw new ArgumentException($"Parameter '{name}': empty range [{F(Min)}, {F(Max)}] (min must be below max).", name);
        if (LogBase && Min <= 0)
            throw new ArgumentException($"Parameter '{name}': log-uniform range [{F(Min)}, {F(Max)}] must be above 0.", name);
        if (_default is { } d && (d < Min || d > Max))
            throw new ArgumentException($"Parameter '{name}': default {F(d)} is outside [{F(Min)}, {F(Max)}].", name);
    }

    internal override void AdoptDefault(JsonNode? value)
    {
        if (_default is null && Number(value) is { } d && d >= Min && d <= Max) _default = d;
    }

    private static string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
