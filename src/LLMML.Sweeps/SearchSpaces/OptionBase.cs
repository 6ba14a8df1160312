using System.Text.Json;
using System.Text.Json.Nodes;

namespace LLMML.Sweeps.SearchSpaces;

/// <summary>
/// One searchable parameter. Every option maps its values to and from a unit feature space [0, 1]^d, so tuners search
/// one hypercube whatever the parameters are (AutoML's design): uniform and integer options are one dimension (log
/// options on the log scale), a choice is one dimension cut into equal cells, a nested space is its options' dimensions.
/// </summary>
public abstract class OptionBase
{
    /// <summary>Dimensions this option takes in the feature space.</summary>
    public abstract int FeatureSpaceDim { get; }

    /// <summary>The value at feature-space point <paramref name="x"/> (length <see cref="FeatureSpaceDim"/>, each in [0, 1]).</summary>
    public abstract JsonNode? SampleFromFeatureSpace(ReadOnlySpan<double> x);

    /// <summary>The feature-space point of <paramref name="value"/>.</summary>
    public abstract double[] MappingToFeatureSpace(JsonNode? value);

    /// <summary>The default value (a search starting point, e.g. CFO's), in the feature space.</summary>
    public double[] Default => MappingToFeatureSpace(DefaultValue);

    /// <summary>The default value: the one given, else one taken from the options object, else the middle / first choice.</summary>
    public abstract JsonNode? DefaultValue { get; }

    /// <summary>The values a grid search visits: every choice and integer, or <paramref name="steps"/> evenly spaced numbers.</summary>
    public abstract IReadOnlyList<JsonNode?> GridValues(int steps);

    /// <summary>Throws a one-line error naming <paramref name="name"/> when the option cannot be searched.</summary>
    internal abstract void Validate(string name);

    /// <summary>Adopts <paramref name="value"/> (an options object's own) as the default when none was given and it fits.</summary>
    internal abstract void AdoptDefault(JsonNode? value);

    /// <summary>A JSON number as a double whatever its stored .NET type, or null when it is not a number.</summary>
    public static double? Number(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.Number) return null;
        return value.Deserialize<double>();
    }

    internal static double Clamp01(double x) => double.IsNaN(x) ? 0.5 : Math.Clamp(x, 0, 1);
}
