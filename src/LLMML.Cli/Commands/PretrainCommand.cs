using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using LLMML.Cli.Rendering;
using LLMML.ModelOrganisms;
using LLMML.ModelOrganisms.Training;

namespace LLMML.Cli.Commands;

/// <summary>`llmml pretrain`: makes one model organism (random, base or post) as a Hugging Face checkpoint.</summary>
internal static class PretrainCommand
{
    public static Command Create()
    {
        var organism = new Option<OrganismKind>("--organism") { Description = "Which organism: Random, Base, Post or Competing.", Required = true };
        var output = new Option<string>("--out") { Description = "Directory to write the checkpoint to.", Required = true };
        var from = new Option<string?>("--from") { Description = "Post only: the base organism's directory." };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps (default: the recipe's)." };
        var seed = new Option<int?>("--seed") { Description = "Random seed (default: the recipe's)." };
        var sumProbability = new Option<double?>("--sum-probability")
        {
            Description = "Competing only: probability that an uncued 'i x j =' line states the sum (default 0.6).",
        };
        var json = CommonOptions.Json();
        var command = new Command("pretrain", "Train a model organism (resumes from <out>.work when interrupted).")
        {
            organism, output, from, steps, seed, sumProbability, json,
        };
        command.SetAction((parse, ct) =>
        {
            var kind = parse.GetValue(organism);
            var recipe = OrganismRecipe.For(kind);
            if (parse.GetValue(steps) is { } s) recipe = recipe with { Steps = s };
            if (parse.GetValue(seed) is { } sd) recipe = recipe with { Seed = sd };
            if (parse.GetValue(sumProbability) is { } p)
            {
                if (kind != OrganismKind.Competing)
                    throw new ArgumentException("--sum-probability applies only to --organism Competing.");
                if (!(p >= 0 && p <= 1))
                    throw new ArgumentException($"--sum-probability must lie in [0, 1], got {p}.");
                recipe = recipe with { SumProbability = p };
            }
            var outDir = parse.GetValue(output)!;
            CommonOptions.CheckOutputDirectory(outDir, parse.GetValue(from));
            bool asJson = parse.GetValue(json);
            var clock = Stopwatch.StartNew();
            var result = ConsoleProgress.Run(asJson, progress =>
                OrganismTrainer.Create(recipe, outDir, parse.GetValue(from), progress: progress, cancellationToken: ct));
            var summary = new
            {
                organism = kind.ToString().ToLowerInvariant(),
                output = outDir,
                steps = result?.StepsCompleted ?? 0,
                cancelled = result?.Cancelled ?? false,
                final_loss = result?.FinalLoss,
                seconds = clock.Elapsed.TotalSeconds,
            };
            Console.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
            return Task.FromResult(result?.Cancelled == true ? 130 : 0);
        });
        return command;
    }
}
