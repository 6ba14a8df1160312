using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;

namespace LLMML.Sweeps.Tuners;

/// <summary>
/// Cost-frugal optimisation (CFO, Wu et al., AAAI 2021; AutoML's default tuner): the FLOW2 randomized direct search.
/// It starts at the search space's defaults — the options' own values, which for our estimators are the cheap ones
/// (small rank, few steps) — and from the incumbent x tries x + δu for a random unit direction u, then x − δu if that
/// did not improve; an improvement moves the incumbent. After 2·d proposals without improvement the step δ halves;
/// below <c>MinStep</c> the search restarts from a random point with the initial step (the sweep keeps the best
/// overall). Unlike FLAML there is no explicit cost model: the cheap start and small local moves are the frugality.
/// </summary>
public sealed class CostFrugalTuner : ITuner
{
    private readonly SearchSpace _space;
    private readonly Random _random;
    private readonly int _dim;
    private readonly double _initialStep;
    private readonly Dictionary<int, Proposal> _pending = [];
    private readonly Queue<(double[] Direction, int Version)> _reverse = new();
    private double[] _incumbent;
    private double _incumbentLoss = double.PositiveInfinity;
    private int _version;
    private int _sinceImprovement;
    private bool _startPending = true;

    /// <summary>A CFO tuner over <paramref name="searchSpace"/> starting at its defaults.</summary>
    public CostFrugalTuner(SearchSpace searchSpace, int seed = 0, double? initialStep = null, double minStep = 0.01)
    {
        _space = searchSpace;
        _random = new Random(seed);
        _dim = Math.Max(1, searchSpace.FeatureSpaceDim);
        _initialStep = initialStep ?? 0.1 * Math.Sqrt(_dim);
        MinStep = minStep;
        Step = _initialStep;
        _incumbent = searchSpace.MappingToFeatureSpace(searchSpace.DefaultParameter);
    }

    /// <summary>The current step size δ (in the unit hypercube).</summary>
    public double Step { get; private set; }

    /// <summary>Below this step the search restarts from a random point.</summary>
    public double MinStep { get; }

    /// <summary>Restarts so far.</summary>
    public int Restarts { get; private set; }

    /// <inheritdoc />
    public Parameter? Propose(TrialSettings settings)
    {
        if (_startPending)
        {
            _startPending = false;
            return Remember(settings, new Proposal(_incumbent, null, 0, _version));
        }
        while (_reverse.TryDequeue(out var pending))
            if (pending.Version == _version)
                return Remember(settings, new Proposal(UnitCube.Step(_incumbent, pending.Direction, -Step), pending.Direction, -1, _version));

        // A step that lands in the incumbent's own cell (a choice or integer unchanged) would be a wasted trial.
        var incumbentKey = _space.Sample(_incumbent).ToString();
        double[] u = UnitCube.Direction(_random, _dim), x = UnitCube.Step(_incumbent, u, Step);
        for (int attempt = 0; attempt < 8 && _space.Sample(x).ToString() == incumbentKey; attempt++)
            x = UnitCube.Step(_incumbent, u = UnitCube.Direction(_random, _dim), Step);
        return Remember(settings, new Proposal(x, u, +1, _version));
    }

    /// <inheritdoc />
    public void Update(TrialResult result)
    {
        if (!_pending.Remove(result.TrialSettings.TrialId, out var proposal)) return;
        double loss = double.IsNaN(result.Loss) ? double.PositiveInfinity : result.Loss;
        if (proposal.Sign == 0)
        {
            // The start point (initial or restart) sets the incumbent's loss.
            if (proposal.Version == _version) _incumbentLoss = loss;
            return;
        }
        if (loss < _incumbentLoss)
        {
            _incumbent = proposal.Point;
            _incumbentLoss = loss;
            _version++;
            _sinceImprovement = 0;
            _reverse.Clear();
            return;
        }
        if (proposal.Sign > 0 && proposal.Version == _version) _reverse.Enqueue((proposal.Direction!, _version));
        if (++_sinceImprovement < 2 * _dim) return;
        _sinceImprovement = 0;
        Step /= 2;
        if (Step >= MinStep) return;
        Restarts++;
        Step = _initialStep;
        _incumbent = UnitCube.Uniform(_random, _dim);
        _incumbentLoss = double.PositiveInfinity;
        _version++;
        _reverse.Clear();
        _startPending = true;
    }

    private Parameter Remember(TrialSettings settings, Proposal proposal)
    {
        _pending[settings.TrialId] = proposal;
        return _space.Sample(proposal.Point);
    }

    private sealed record Proposal(double[] Point, double[]? Direction, int Sign, int Version);
}
