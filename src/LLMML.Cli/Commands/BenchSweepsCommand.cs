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
        var eigenprune = new Option<bool>("--eigenprune") { Description = "Instead: ASHA against the full grid over eigenpruning fractions (fidelity = scoring rows), compute and best result of each." };
        var model = new Option<string>("--model") { Description = "--eigenprune: model checkpoint directory.", DefaultValueFactory = _ => "data/models/competing" };
        var task = new Option<string>("--task") { Description = "--eigenprune: task (closed answer set).", DefaultValueFactory = _ => "int-mult" };
        var fractions = new Option<string>("--fractions") { Description = "--eigenprune: the grid of fractions.", DefaultValueFactory = _ => "0.0003,0.0007,0.001,0.0015,0.002,0.003,0.005,0.01,0.02,0.05,0.1,0.2" };
        var matrices = new Option<string>("--matrices") { Description = "--eigenprune: matrix kinds.", DefaultValueFactory = _ => "q,k,v,o,mlp-in,mlp-out" };
        var reduction = new Option<string>("--reduction") { Description = "--eigenprune: effect reduction (Max, Mean, Quantile).", DefaultValueFactory = _ => "Mean" };
        var scoringRows = new Option<int>("--scoring-rows") { Description = "--eigenprune: training rows singular values are scored on at full fidelity.", DefaultValueFactory = _ => 243 };
        var validationRows = new Option<int>("--validation-rows") { Description = "--eigenprune: held-out training rows every trial is judged on.", DefaultValueFactory = _ => 77 };
        var rungs = new Option<int>("--rungs") { Description = "--eigenprune: ASHA rungs (the last is full fidelity).", DefaultValueFactory = _ => 3 };
        var eta = new Option<double>("--eta") { Description = "--eigenprune: ASHA's reduction factor.", DefaultValueFactory = _ => 3 };
        var threads = CommonOptions.Threads();
        var only = new Option<string[]>("--tuners") { Description = "Tuners to run (random is always run, as the baseline): grid, cfo, smac.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("sweeps", "Benchmark the sweep tuners on Branin and Hartmann-6 (known minima) against random search; tuner overhead per trial.")
        {
            json, seeds, only, eigenprune, model, task, fractions, matrices, reduction, scoringRows, validationRows, rungs, eta, threads,
        };
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(eigenprune))
            {
                CommonOptions.ApplyThreads(parse, threads);
                if (parse.GetValue(rungs) < 2) throw new ArgumentException("--rungs: ASHA needs at least 2 rungs.");
                if (parse.GetValue(eta) <= 1) throw new ArgumentException("--eta: ASHA's reduction factor must exceed 1.");
                if (!Enum.TryParse<LLMML.Eigenpruning.Attribution.EffectReduction>(parse.GetValue(reduction), true, out var reductionKind))
                    throw new ArgumentException($"--reduction: unknown reduction '{parse.GetValue(reduction)}' (Max, Mean, Quantile).");
                var settings = new BenchSweepsEigenprune.Settings(Path.GetFullPath(parse.GetValue(model)!), parse.GetValue(task)!,
                    BenchSweepsEigenprune.ParseFractions(parse.GetValue(fractions)!), parse.GetValue(scoringRows), parse.GetValue(validationRows),
                    parse.GetValue(eta), parse.GetValue(rungs), LLMML.Eigenpruning.Matrices.MatrixKinds.Parse(parse.GetValue(matrices)!), reductionKind, 32, 0);
                var node = BenchSweepsEigenprune.Measure(settings, ConsoleProgress.Stages(), ct);
                var summary = new Table().AddColumns("search", "best fraction", "validation accuracy", "trials (stopped early)", "scoring rows", "CPU s", "wall s");
                foreach (var name in new[] { "grid", "asha" })
                {
                    var r = node[name]!.AsObject();
                    summary.AddRow(name, r["bestFraction"]!.ToJsonString(), r["bestValidationAccuracy"]!.GetValue<double>().ToString("0.0000", CultureInfo.InvariantCulture),
                        $"{r["trials"]} ({r["stoppedEarly"]})", r["scoringRows"]!.ToJsonString(), r["cpuSeconds"]!.ToJsonString(), r["wallSeconds"]!.ToJsonString());
                }
                summary.Caption($"ASHA saved {node["scoringRowsSaved"]!.GetValue<double>():P1} of the scoring rows and {node["cpuSaved"]!.GetValue<double>():P1} of the CPU time; same best: {node["sameBest"]}; load average {BenchmarkTiming.Format(node["loadAverage"]?.GetValue<double>())}");
                AnsiConsole.Write(summary);
                if (parse.GetValue(json) is { } file)
                {
                    AtomicFile.WriteAllBytes(file.FullName, System.Text.Encoding.UTF8.GetBytes(node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })));
                    AnsiConsole.MarkupLineInterpolated($"JSON written to [green]{file.FullName}[/]");
                }
                return Task.FromResult(0);
            }
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
