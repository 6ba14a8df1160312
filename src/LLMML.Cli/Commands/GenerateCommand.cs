using System.CommandLine;
using LLMML.LanguageModels.Generation;

namespace LLMML.Cli.Commands;

/// <summary>`llmml generate`: complete prompts with a checkpoint, to look at what a model does.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint directory.", Required = true };
        var prompts = new Option<string[]>("--prompt") { Description = "Prompt(s); repeat for several.", Required = true, AllowMultipleArgumentsPerToken = true };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Tokens to generate at most.", DefaultValueFactory = _ => 24 }.AtLeast(0);
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy.", DefaultValueFactory = _ => 0 };
        var stop = new Option<string[]>("--stop") { Description = "Stop strings.", DefaultValueFactory = _ => ["\n"] };
        var seed = new Option<long?>("--seed") { Description = "Sampling seed." };
        var command = new Command("generate", "Complete prompts with a model (greedy by default, one line).")
        {
            model, prompts, maxNewTokens, temperature, stop, seed,
        };
        command.SetAction((parse, ct) =>
        {
            using var lm = LanguageModel.Load(parse.GetValue(model)!);
            var inputs = parse.GetValue(prompts)!;
            var options = new GenerationOptions
            {
                MaxNewTokens = parse.GetValue(maxNewTokens),
                Temperature = parse.GetValue(temperature),
                StopStrings = parse.GetValue(stop)!,
                Seed = parse.GetValue(seed),
            };
            var outputs = lm.Generate(inputs, options, ct);
            for (int i = 0; i < inputs.Length; i++)
                Console.WriteLine($"{inputs[i]}{outputs[i]}");
            return Task.FromResult(0);
        });
        return command;
    }
}
