using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;

namespace LLMML.Sweeps.Tuners;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2020) as an early-stopping rule: rung k sits at resource
/// <c>minResource · η^k</c>; when a trial first reports at or past a rung, its loss joins that rung's record and the
/// trial goes on only if it is among the best ⌊n/η⌋ (at least one) of the n losses recorded there so far —
/// otherwise its token is cancelled. New configurations come from <paramref name="proposer"/> (default: random search).
/// Decisions depend on arrival order, so with parallel trials ASHA is the one tuner not reproducible run to run.
/// </summary>
public sealed class AshaTuner(SearchSpace searchSpace, int seed = 0, double eta = 3, double minResource = 1, ITuner? proposer = null) : ITuner
{
    private readonly ITuner _proposer = proposer ?? new RandomSearchTuner(searchSpace, seed);
    private readonly List<List<(int TrialId, double Loss)>> _rungs = [];
    private readonly Dictionary<int, int> _nextRung = [];
    private readonly object _gate = new();

    /// <summary>The reduction factor η: each rung keeps the best 1/η.</summary>
    public double Eta { get; } = eta > 1 ? eta : throw new ArgumentOutOfRangeException(nameof(eta), eta, "ASHA's reduction factor must exceed 1.");

    /// <summary>Resource of rung 0.</summary>
    public double MinResource { get; } = minResource > 0 ? minResource : throw new ArgumentOutOfRangeException(nameof(minResource), minResource, "ASHA's minimum resource must be positive.");

    /// <summary>Trials stopped early so far.</summary>
    public int StoppedTrials { get; private set; }

    /// <inheritdoc />
    public Parameter? Propose(TrialSettings settings) => _proposer.Propose(settings);

    /// <inheritdoc />
    public void Update(TrialResult result) => _proposer.Update(result);

    /// <inheritdoc />
    public bool ShouldContinue(TrialSettings settings, double resource, double loss)
    {
        lock (_gate)
        {
            int rung = _nextRung.GetValueOrDefault(settings.TrialId);
            bool go = true;
            // A report may pass several rungs at once; the trial must survive each.
            for (; RungResource(rung) <= resource * (1 + 1e-12); rung++)
            {
                while (_rungs.Count <= rung) _rungs.Add([]);
                _rungs[rung].Add((settings.TrialId, double.IsNaN(loss) ? double.PositiveInfinity : loss));
                go &= IsPromotable(rung, settings.TrialId);
                if (!go) break;
            }
            _nextRung[settings.TrialId] = rung + (go ? 0 : 1);
            if (!go) StoppedTrials++;
            return go;
        }
    }

    /// <summary>Resource at which rung <paramref name="rung"/> is judged.</summary>
    public double RungResource(int rung) => MinResource * Math.Pow(Eta, rung);

    /// <summary>The trials recorded at <paramref name="rung"/> that are in its top 1/η now, best first.</summary>
    public IReadOnlyList<int> TopOfRung(int rung)
    {
        lock (_gate)
        {
            return rung >= _rungs.Count ? [] : TopOfRungUnlocked(rung).ToArray();
        }
    }

    private int Keep(int recorded) => Math.Max(1, (int)Math.Floor(recorded / Eta));

    private bool IsPromotable(int rung, int trialId) => TopOfRungUnlocked(rung).Contains(trialId);

    private IEnumerable<int> TopOfRungUnlocked(int rung)
    {
        var recorded = _rungs[rung];
        return recorded.OrderBy(r => r.Loss).ThenBy(r => r.TrialId).Take(Keep(recorded.Count)).Select(r => r.TrialId);
    }
}
