using System.CommandLine;
using System.Globalization;
using LLMML.Cli.Rendering;
using LLMML.Foundation.Benchmarks;
using LLMML.Foundation.Persistence;
using LLMML.Sweeps.Benchmarks;
using LLMML.Sweeps.Tuners;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>
/// `llmml bench sweeps`: each tuner's best value on Branin and Hartmann-6 after 20/50/100 trials over seeds, against
/// random search, and each tuner's own time per trial.
/// </summary>
internal static class BenchSweepsCommand
{
    public static Command Create()
    {
        var json = CommonOptions.JsonFile();
        var seeds = new Option<int>("--seeds") { Description = "Seeds per tuner and function (medians over them).", DefaultValueFactory = _ => 10 };
        var only = new Option<string[]>("--tuners") { Description = "Tuners to run (random is always run, as the baseline): grid, cfo, smac.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("sweeps", "Benchmark the sweep tuners on Branin and Hartmann-6 (known minima) against random search; tuner overhead per trial.")
        {
            json, seeds, only,
        };
        command.SetAction((parse, ct) =>
        {
            TunerKind[] tuners = [TunerKind.Random, TunerKind.Grid, TunerKind.Cfo, TunerKind.Smac];
            if (parse.GetValue(only) is { Length: > 0 } chosen)
            {
                var unknown = chosen.Where(c => !tuners.Any(t => t.ToString().Equals(c, StringComparison.OrdinalIgnoreCase))).ToArray();
                if (unknown.Length > 0) throw new ArgumentException($"--tuners: unknown tuner '{unknown[0]}' (grid, cfo, smac, random).");
                tuners = tuners.Where(t => t == TunerKind.Random || chosen.Any(c => c.Equals(t.ToString(), StringComparison.OrdinalIgnoreCase))).ToArray();
            }
            var result = SweepBenchmark.Run([TestFunction.Branin, TestFunction.Hartmann6], tuners, Math.Max(1, parse.GetValue(seeds)), null, ConsoleProgress.Stages(), ct);
            var table = new Table().AddColumns("function (minimum)", "tuner");
            foreach (var b in result.Budgets) table.AddColumn($"best after {b} (median)");
            table.AddColumn("tuner ms / trial (wall)");
            table.AddColumn("tuner CPU ms / trial");
            foreach (var row in result.Rows)
            {
                var random = result.Of(row.Function, TunerKind.Random);
                var cells = new List<string> { $"{row.Function} ({result.Minima[row.Function].ToString("0.0000", CultureInfo.InvariantCulture)})", row.Tuner.ToString().ToLowerInvariant() };
                foreach (var b in result.Budgets)
                {
                    string verdict = row.Tuner == TunerKind.Random ? "" : row.Median(b) < random.Median(b) ? " [green]< random[/]" : " [red]≥ random[/]";
                    cells.Add(row.Median(b).ToString("0.0000", CultureInfo.InvariantCulture) + verdict);
                }
                cells.Add(row.MedianOverhead.ToString("0.000", CultureInfo.InvariantCulture) + (row.MedianOverhead <= 5 ? " [green]✓[/]" : " [red]✗[/]"));
                cells.Add(double.IsFinite(row.MedianOverheadCpu) ? row.MedianOverheadCpu.ToString("0.000", CultureInfo.InvariantCulture) + (row.MedianOverheadCpu <= 5 ? " [green]✓[/]" : " [red]✗[/]") : "n/a");
                table.AddRow(cells.ToArray());
            }
            table.Caption($"{result.Seeds} seeds, overhead target ≤ 5 ms per trial at {result.Budgets.Max()} trials, {result.ProcessorCount} cores, load average {BenchmarkTiming.Format(result.LoadAverage)}");
            AnsiConsole.Write(table);
            if (parse.GetValue(json) is { } path)
            {
                AtomicFile.WriteAllBytes(path.FullName, System.Text.Encoding.UTF8.GetBytes(result.ToJson()));
                AnsiConsole.MarkupLineInterpolated($"JSON written to [green]{path.FullName}[/]");
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
