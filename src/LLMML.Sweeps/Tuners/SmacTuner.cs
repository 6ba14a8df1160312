using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;

namespace LLMML.Sweeps.Tuners;

/// <summary>
/// Sequential model-based optimisation in SMAC's style (Hutter et al. 2011), as AutoML's SmacTuner: the first
/// <c>numberInitialPopulation</c> trials are random; after that a FastForest regression (<see cref="ForestSurrogate"/>)
/// is fitted to every finished trial's loss and the next trial maximises expected improvement over the best loss, among
/// <c>numberOfRandomCandidates</c> random points and a hill-climb of EI from each of the best
/// <c>localSearchParentCount</c> trials. A point already tried is never proposed again.
/// </summary>
public sealed class SmacTuner(
    SearchSpace searchSpace,
    int seed = 0,
    int numberInitialPopulation = 10,
    int numberOfTrees = 10,
    int numberOfLeaves = 10,
    int numberOfRandomCandidates = 500,
    int localSearchParentCount = 5,
    double localSearchStep = 0.05) : ITuner
{
    private readonly Random _random = new(seed);
    private readonly int _dim = searchSpace.FeatureSpaceDim;
    private readonly List<(double[] X, double Loss)> _history = [];
    private readonly HashSet<string> _tried = new(StringComparer.Ordinal);
    private readonly Microsoft.ML.MLContext _ml = new(seed);
    private int _proposed;

    /// <summary>Every finished trial as (feature-space point, loss), in the order reported.</summary>
    public IReadOnlyList<(double[] X, double Loss)> History => _history;

    /// <summary>The surrogate fitted for the latest model-based proposal (null while still random).</summary>
    public ForestSurrogate? Surrogate { get; private set; }

    /// <inheritdoc />
    public Parameter? Propose(TrialSettings settings)
    {
        _proposed++;
        var finite = _history.Where(h => double.IsFinite(h.Loss)).ToArray();
        if (_proposed <= numberInitialPopulation || finite.Length < 2) return Remember(UnitCube.Uniform(_random, _dim));

        // Failed trials take the worst loss seen so the forest learns to avoid them without an infinite label.
        double worst = finite.Max(h => h.Loss);
        var points = _history.Select(h => h.X).ToArray();
        var losses = _history.Select(h => double.IsFinite(h.Loss) ? h.Loss : worst).ToArray();
        var surrogate = Surrogate = ForestSurrogate.Fit(points, losses, numberOfTrees, numberOfLeaves, seed: _random.Next(), context: _ml);
        double best = losses.Min();
        var scorer = new EiScorer(surrogate, best);

        // Expected improvement never draws from _random, so drawing every candidate first and scoring them in one batch
        // proposes exactly what drawing and scoring one at a time did.
        var random = new double[numberOfRandomCandidates][];
        for (int i = 0; i < random.Length; i++) random[i] = UnitCube.Uniform(_random, _dim);
        var ei = scorer.Score(random);
        var candidates = new List<(double[] X, double Ei)>(random.Length + localSearchParentCount);
        for (int i = 0; i < random.Length; i++) candidates.Add((random[i], ei[i]));
        foreach (var (parent, _) in _history.Where(h => double.IsFinite(h.Loss)).OrderBy(h => h.Loss).Take(localSearchParentCount))
            candidates.Add(LocalSearch(parent, scorer));

        foreach (var (x, _) in candidates.OrderByDescending(c => c.Ei))
            if (!_tried.Contains(searchSpace.Sample(x).ToString())) return Remember(x);
        return Remember(UnitCube.Uniform(_random, _dim));
    }

    /// <inheritdoc />
    public void Update(TrialResult result) =>
        _history.Add((searchSpace.MappingToFeatureSpace(result.TrialSettings.Parameter), result.Loss));

    // Greedy hill-climb of EI over Gaussian moves of each coordinate (SMAC's one-exchange neighbourhood). Each step's
    // 4·d neighbours are drawn in the same order as before and scored as one batch; the first strictly better one wins.
    private (double[] X, double Ei) LocalSearch(double[] start, EiScorer scorer)
    {
        var (x, value) = (start, scorer.Score([start])[0]);
        var neighbours = new double[_dim * 4][];
        for (int step = 0; step < 10; step++)
        {
            for (int d = 0, j = 0; d < _dim; d++)
            {
                for (int k = 0; k < 4; k++, j++)
                {
                    var y = (double[])x.Clone();
                    y[d] = Math.Clamp(y[d] + localSearchStep * UnitCube.Gaussian(_random) * 2, 0, 1);
                    neighbours[j] = y;
                }
            }
            var ei = scorer.Score(neighbours);
            var (bestX, bestValue) = (x, value);
            for (int j = 0; j < neighbours.Length; j++)
                if (ei[j] > bestValue) (bestX, bestValue) = (neighbours[j], ei[j]);
            if (ReferenceEquals(bestX, x)) break;
            (x, value) = (bestX, bestValue);
        }
        return (x, value);
    }

    /// <summary>Expected improvement over <c>best</c> under a surrogate, for a batch of points.</summary>
    private sealed class EiScorer(ForestSurrogate surrogate, double best)
    {
        private double[] _mean = [], _std = [];

        public double[] Score(IReadOnlyList<double[]> points)
        {
            if (_mean.Length < points.Count) (_mean, _std) = (new double[points.Count], new double[points.Count]);
            surrogate.PredictMany(points, _mean, _std);
            var ei = new double[points.Count];
            for (int i = 0; i < ei.Length; i++) ei[i] = ExpectedImprovement.Compute(_mean[i], _std[i], best);
            return ei;
        }
    }

    private Parameter Remember(double[] x)
    {
        var parameter = searchSpace.Sample(x);
        _tried.Add(parameter.ToString());
        return parameter;
    }
}
