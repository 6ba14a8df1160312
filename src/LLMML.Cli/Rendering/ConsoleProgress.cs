using System.Globalization;
using LLMML.Foundation.Progress;
using Spectre.Console;

namespace LLMML.Cli.Rendering;

/// <summary>
/// The CLI's one progress renderer: runs work that reports <see cref="ProgressUpdate"/>s under a Spectre
/// progress bar (one task per stage, metrics in the description). With --json the bar goes to stderr so
/// stdout stays machine-readable.
/// </summary>
internal static class ConsoleProgress
{
    public static T Run<T>(bool toStandardError, Func<IProgress<ProgressUpdate>, T> work)
    {
        var console = toStandardError
            ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
            : AnsiConsole.Console;
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var reporter = new SynchronousProgress(update =>
                {
                    if (!tasks.TryGetValue(update.Stage, out var task))
                        tasks[update.Stage] = task = ctx.AddTask(Markup.Escape(update.Stage), maxValue: update.Total ?? 1);
                    if (update.Total is { } total) task.MaxValue = total;
                    task.Value = update.Total is null ? 0 : update.Completed;
                    task.Description = Markup.Escape(Describe(update));
                });
                result = work(reporter);
            });
        return result;
    }

    /// <summary>
    /// One stderr line per new stage, nothing redrawn: for work whose own output is a timing table (benchmarks) or
    /// that runs unattended, where a live bar would cost time or clutter a log.
    /// </summary>
    public static IProgress<ProgressUpdate> Stages()
    {
        string? last = null;
        return new SynchronousProgress(update =>
        {
            if (update.Stage == last) return;
            last = update.Stage;
            Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {update.Stage}");
        });
    }

    private static string Describe(ProgressUpdate update)
    {
        if (update.Metrics is null || update.Metrics.Count == 0) return update.Stage;
        var metrics = string.Join(" ", update.Metrics.Select(m => $"{m.Key}={m.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
        return $"{update.Stage} {metrics}";
    }
}
