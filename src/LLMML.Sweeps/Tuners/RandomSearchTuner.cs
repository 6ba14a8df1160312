using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;

namespace LLMML.Sweeps.Tuners;

/// <summary>Independent uniform points of the feature hypercube (log options thus log-uniform), from a seeded generator.</summary>
public sealed class RandomSearchTuner(SearchSpace searchSpace, int seed = 0) : ITuner
{
    private readonly Random _random = new(seed);

    /// <inheritdoc />
    public Parameter? Propose(TrialSettings settings) => searchSpace.Sample(UnitCube.Uniform(_random, searchSpace.FeatureSpaceDim));

    /// <inheritdoc />
    public void Update(TrialResult result) { }
}
