using System.Diagnostics;
using LLMML.Foundation.Progress;
using LLMML.Sweeps.Trials;
using LLMML.Sweeps.Tuners;

namespace LLMML.Sweeps.Experiments;

/// <summary>
/// The sweep loop: the tuner proposes a round of <see cref="SweepOptions.MaxParallelTrials"/> trials, they run in
/// parallel (each timed, with its own cancellation token), each finished one is journaled, then the round's results
/// reach the tuner in trial order. Stops at <see cref="SweepOptions.MaxTrials"/>, at the wall-time budget, when the
/// tuner has nothing left, or on cancellation (then throws, the journal holding every finished trial).
/// </summary>
public static class Sweep
{
    /// <summary>Runs a sweep of <paramref name="runner"/>'s trials proposed by <paramref name="tuner"/>.</summary>
    public static SweepResult Run(ITuner tuner, ITrialRunner runner, SweepOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tuner);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var journal = options.JournalPath is null ? null : SweepJournal.Open(options.JournalPath);
        double sign = options.IsMaximizing ? -1 : 1;
        var tunerGate = new object();
        var results = new List<TrialResult>();
        var clock = Stopwatch.StartNew();
        bool TimeUp() => options.MaxWallTime is { } budget && clock.Elapsed >= budget;
        using var deadline = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);

        int next = 0;
        bool exhausted = false;
        while (!exhausted && next < options.MaxTrials && !stop.IsCancellationRequested && !TimeUp())
        {
            var round = new List<TrialSettings>();
            while (round.Count < options.MaxParallelTrials && next < options.MaxTrials)
            {
                var settings = new TrialSettings { TrialId = next };
                var parameter = tuner.Propose(settings);
                if (parameter is null)
                {
                    exhausted = true;
                    break;
                }
                settings.Parameter = parameter;
                round.Add(settings);
                next++;
            }

            var outcomes = new TrialResult?[round.Count];
            var live = new List<Task>();
            for (int i = 0; i < round.Count; i++)
            {
                if (journal is not null && journal.TryGet(round[i].TrialId, out var recorded))
                {
                    if (!recorded.TrialSettings.Parameter.Equals(round[i].Parameter))
                        throw new InvalidDataException($"{journal.Path}: trial {round[i].TrialId} was {recorded.TrialSettings.Parameter} but the tuner now proposes {round[i].Parameter}; the journal belongs to another sweep (search space, tuner or seed differ).");
                    // The tuner sees the recorded trial exactly as it saw it live: intermediate reports first.
                    foreach (var (resource, metric) in recorded.Intermediate) tuner.ShouldContinue(round[i], resource, sign * metric);
                    outcomes[i] = new TrialResult
                    {
                        TrialSettings = round[i], Status = recorded.Status, Metric = recorded.Metric, Loss = recorded.Loss, Metrics = recorded.Metrics,
                        DurationInMilliseconds = recorded.DurationInMilliseconds, Intermediate = recorded.Intermediate, Error = recorded.Error,
                    };
                    continue;
                }
                int slot = i;
                // Trials are long and block (ML.NET fits): each gets its own thread rather than a pool thread it would starve.
                live.Add(Task.Factory.StartNew(() => outcomes[slot] = RunTrial(round[slot], tuner, tunerGate, runner, sign, journal, stop.Token),
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            }
            // The deadline is enforced here, not by a timer, so a busy thread pool cannot delay it.
            if (options.MaxWallTime is { } wall && !Task.WaitAll([.. live], Max(wall - clock.Elapsed, TimeSpan.Zero)))
                deadline.Cancel();
            Task.WaitAll(live);

            foreach (var result in outcomes)
            {
                if (result is null) continue;
                tuner.Update(result);
                results.Add(result);
                options.Progress?.Report(Progress(results, options));
            }
            cancellationToken.ThrowIfCancellationRequested();
        }
        return new SweepResult(results, options);
    }

    /// <summary>Runs one trial; null when the sweep (not the tuner) stopped it, so it is neither journaled nor counted.</summary>
    private static TrialResult? RunTrial(TrialSettings settings, ITuner tuner, object tunerGate, ITrialRunner runner, double sign,
        SweepJournal? journal, CancellationToken sweepStop)
    {
        if (sweepStop.IsCancellationRequested) return null;
        using var trialStop = CancellationTokenSource.CreateLinkedTokenSource(sweepStop);
        var context = new TrialContext(settings, trialStop, (resource, metric) =>
        {
            lock (tunerGate) return tuner.ShouldContinue(settings, resource, sign * metric);
        });
        var clock = Stopwatch.StartNew();
        TrialResult Result(TrialStatus status, double metric, double loss, IReadOnlyDictionary<string, double>? metrics = null, string? error = null) => new()
        {
            TrialSettings = settings, Status = status, Metric = metric, Loss = loss, Metrics = metrics ?? new Dictionary<string, double>(),
            DurationInMilliseconds = clock.Elapsed.TotalMilliseconds, Intermediate = context.Intermediate.ToArray(), Error = error,
        };

        TrialResult result;
        try
        {
            var metrics = runner.Run(context);
            result = Result(TrialStatus.Completed, metrics.Metric, double.IsNaN(metrics.Metric) ? double.PositiveInfinity : sign * metrics.Metric, metrics.Others);
        }
        catch (Exception) when (sweepStop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception) when (context.StoppedEarly)
        {
            double last = context.Intermediate[^1].Metric;
            result = Result(TrialStatus.Stopped, last, double.IsNaN(last) ? double.PositiveInfinity : sign * last);
        }
        catch (Exception e)
        {
            result = Result(TrialStatus.Failed, double.NaN, double.PositiveInfinity, error: $"{e.GetType().Name}: {e.Message}");
        }
        journal?.Append(result);
        return result;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static ProgressUpdate Progress(List<TrialResult> results, SweepOptions options)
    {
        var metrics = new Dictionary<string, double> { ["last"] = results[^1].Metric };
        var finished = results.Where(r => r.Status == TrialStatus.Completed && double.IsFinite(r.Loss)).ToArray();
        if (finished.Length > 0) metrics["best"] = finished.MinBy(r => r.Loss)!.Metric;
        return new ProgressUpdate("sweep", results.Count, options.MaxTrials, metrics);
    }
}
