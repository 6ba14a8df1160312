using System.CommandLine;
using System.Text.Json;
using LLMML.LanguageModels.Generation;
using LLMML.ModelOrganisms.Evaluation;

namespace LLMML.Cli.Commands;

/// <summary>`llmml knowledge`: does an organism know the corpus's facts in the corpus's own phrasing?</summary>
internal static class KnowledgeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint directory.", Required = true };
        var sums = new Option<int>("--sums") { Description = "Random sums to ask (i, j < 100).", DefaultValueFactory = _ => 300 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Seed of the sum sample.", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("knowledge", "Greedy answers to every product i·j (i, j < 20) and to random sums, asked in the corpus's own phrasing (\"the product of 7 and 8 is\").")
        {
            model, sums, seed, json,
        };
        command.SetAction((parse, ct) =>
        {
            using var lm = LanguageModel.Load(parse.GetValue(model)!);
            var scores = KnowledgeProbe.Run(lm, parse.GetValue(sums), parse.GetValue(seed), cancellationToken: ct);
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(scores.Select(s => new { facts = s.Facts, phrasing = s.Phrasing, correct = s.Correct, total = s.Total, accuracy = s.Accuracy }),
                    new JsonSerializerOptions { WriteIndented = true }));
            else
                foreach (var s in scores) Console.WriteLine($"{s.Facts,-8} {s.Correct,4} / {s.Total,-4} {s.Accuracy:P2}   (\"{s.Phrasing}\")");
            return Task.FromResult(0);
        });
        return command;
    }
}
