using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLMML.Foundation.Persistence;
using LLMML.LanguageModels.Generation;
using LLMML.MLNet.Tasks;
using LLMML.TracrInjection.Teachers;
using LLMML.TracrInjection.Training;
using Microsoft.ML;

namespace LLMML.Cli.Commands;

/// <summary>`llmml bench inject`: training steps per second of tracr-injection (and of the baseline) and the process's peak memory.</summary>
internal static class BenchInjectCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint directory of the LM.", Required = true };
        var task = new Option<string>("--task") { Description = "dyck, count or int-add-long.", DefaultValueFactory = _ => "count" };
        var steps = new Option<int>("--steps") { Description = "Timed steps per variant (after 2 warm-up steps).", DefaultValueFactory = _ => 20 }.AtLeast(1);
        var rollAt = new Option<RollPosition>("--roll-at") { DefaultValueFactory = _ => RollPosition.AfterLastAlignedState, Description = "Where detach-and-roll acts." };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.JsonFile();
        var command = new Command("inject", "Steps/s of an injection run and of its baseline, and peak memory.") { model, task, steps, rollAt, threads, json };
        command.SetAction((parse, ct) =>
        {
            var jsonPath = parse.GetValue(json)?.FullName;
            CommonOptions.CheckOutputFile(jsonPath, parse.GetValue(model));
            CommonOptions.ApplyThreads(parse, threads);
            var ml = new MLContext(seed: 0);
            var t = ml.Llm().Tasks.Get(parse.GetValue(task)!);
            var program = InjectionProgramCatalog.ForTask(t.Name);
            var rows = t.GetExamples(TaskSplits.Train).Take(200).ToArray();
            var results = new JsonArray();
            foreach (var baseline in new[] { false, true })
            {
                using var lm = LanguageModel.Load(parse.GetValue(model)!);
                var sequences = InjectionData.Align(lm, program.Alignment, rows, "\n");
                var (teacher, examples, _) = InjectionData.PrepareTeacher(program, sequences, rows, cancellationToken: ct);
                using (teacher)
                {
                    var n = parse.GetValue(steps);
                    var settings = new InjectionSettings { Baseline = baseline, Steps = n + 2, LmLearningRate = 1e-4, AdapterLearningRate = 1e-3, RollAt = parse.GetValue(rollAt), ProgressEvery = 1 };
                    var clock = new Stopwatch();
                    var progress = new Progress(u => { if (u.Completed == 2) clock.Restart(); });
                    var result = TracrInjector.Train(lm, teacher, examples, InjectCommand.NaturalText(200, 7), settings, progress, ct);
                    clock.Stop();
                    result.Adapter.Dispose();
                    results.Add(new JsonObject
                    {
                        ["variant"] = baseline ? "baseline" : "injection",
                        ["program"] = program.Name,
                        ["compiledLayers"] = teacher.Layers,
                        ["compiledWidth"] = teacher.Width,
                        ["lmBlocks"] = lm.Config.NumLayers,
                        ["steps"] = n,
                        ["stepsPerSecond"] = Math.Round(n / clock.Elapsed.TotalSeconds, 2),
                    });
                }
            }
            var node = new JsonObject
            {
                ["task"] = t.Name,
                ["results"] = results,
                ["peakRssMb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
                ["threads"] = TorchSharp.torch.get_num_threads(),
            };
            var text = node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            Console.WriteLine(text);
            if (jsonPath is not null) AtomicFile.WriteAllText(jsonPath, text);
            return Task.FromResult(0);
        });
        return command;
    }

    // Synchronous (Progress<T> would post to the thread pool and time the wrong step).
    private sealed class Progress(Action<LLMML.Foundation.Progress.ProgressUpdate> report) : IProgress<LLMML.Foundation.Progress.ProgressUpdate>
    {
        public void Report(LLMML.Foundation.Progress.ProgressUpdate value) => report(value);
    }
}
