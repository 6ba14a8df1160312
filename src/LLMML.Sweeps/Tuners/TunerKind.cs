using LLMML.Sweeps.SearchSpaces;

namespace LLMML.Sweeps.Tuners;

/// <summary>The tuners by name (the CLI's "tuner" setting and the benchmark's rows).</summary>
public enum TunerKind
{
    /// <summary><see cref="GridSearchTuner"/>.</summary>
    Grid,
    /// <summary><see cref="RandomSearchTuner"/>.</summary>
    Random,
    /// <summary><see cref="AshaTuner"/> over random proposals.</summary>
    Asha,
    /// <summary><see cref="CostFrugalTuner"/> (AutoML's default).</summary>
    Cfo,
    /// <summary><see cref="SmacTuner"/>.</summary>
    Smac,
}

/// <summary>Creates tuners by kind.</summary>
public static class Tuner
{
    /// <summary>A tuner of <paramref name="kind"/> over <paramref name="space"/>, seeded by <paramref name="seed"/>.</summary>
    public static ITuner Create(TunerKind kind, SearchSpace space, int seed = 0, int gridSteps = 5) => kind switch
    {
        TunerKind.Grid => new GridSearchTuner(space, gridSteps),
        TunerKind.Random => new RandomSearchTuner(space, seed),
        TunerKind.Asha => new AshaTuner(space, seed),
        TunerKind.Cfo => new CostFrugalTuner(space, seed),
        TunerKind.Smac => new SmacTuner(space, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown tuner."),
    };

    /// <summary>Parses a tuner name (grid, random, asha, cfo, smac), case-insensitively.</summary>
    public static TunerKind Parse(string name) => Enum.TryParse<TunerKind>(name, ignoreCase: true, out var kind) && Enum.IsDefined(kind)
        ? kind
        : throw new ArgumentException($"Unknown tuner '{name}' (tuners: {string.Join(", ", Enum.GetNames<TunerKind>().Select(n => n.ToLowerInvariant()))}).", nameof(name));
}
