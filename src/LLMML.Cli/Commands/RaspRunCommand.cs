using System.CommandLine;
using System.Text.Json;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Language;
using LLMML.Rasp.Torch;
using Spectre.Console;
using TorchSharp;

namespace LLMML.Cli.Commands;

/// <summary>`llmml rasp run`: one input through the evaluator and the compiled model, optionally with the decoded trace per layer.</summary>
internal static class RaspRunCommand
{
    public static Command Create()
    {
        var source = new RaspProgramOptions();
        var input = new Option<string>("--input", "-i") { Description = "Space-separated input tokens, e.g. \"a b c\".", Required = true };
        var maxLen = new Option<int?>("--max-len", "-n") { Description = "Maximum length (default: the input's length)." };
        var trace = new Option<bool>("--trace") { Description = "Print every variable decoded from the residual stream after each layer." };
        var json = CommonOptions.Json();
        var command = new Command("run", "Run one input through the evaluator and the compiled transformer.") { input, maxLen, trace, json };
        source.AddTo(command);
        command.SetAction(parse =>
        {
            var words = parse.GetValue(input)!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var n = parse.GetValue(maxLen) ?? words.Length;
            // A file without --vocab reads the input's own tokens.
            var choice = source.Resolve(parse, n, () => words.Select(RaspValue.Parse).Distinct().ToList());
            // A typed "4" means the vocabulary's 4, whether that is the number or the text.
            var tokens = words.Select(w => choice.Vocabulary.FirstOrDefault(v => v.ToString() == w, RaspValue.Parse(w))).ToArray();
            var expected = RaspEvaluator.Evaluate(choice.Program, tokens, choice.Causal);
            var (_, _, model) = RaspCliSupport.CompileAndAssemble(choice.Name, choice.Program, source.CompilerOptions(parse, choice, n));
            using var _m = model;
            using var scope = torch.NewDisposeScope();
            using var _g = torch.no_grad();
            var states = model.RecordResiduals(model.Encode([tokens]));
            var compiled = model.DecodeVariable(states[^1], model.Config.Output, [tokens.Length])[0];
            var layers = parse.GetValue(trace)
                ? states.Select((s, l) => new { layer = l, variables = model.DecodeTrace(s, [tokens.Length]).ToDictionary(kv => kv.Key, kv => kv.Value[0].Select(v => v.ToString()).ToArray()) }).ToList()
                : null;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    input = tokens.Select(t => t.ToString()),
                    evaluator = expected.Select(v => v.ToString()),
                    model = compiled.Select(v => v.ToString()),
                    trace = layers,
                }, RaspCliSupport.Json));
                return 0;
            }
            var table = new Table().AddColumns(new[] { "" }.Concat(tokens.Select(t => Markup.Escape(t.ToString()))).ToArray());
            table.AddRow(new[] { "evaluator" }.Concat(expected.Select(v => Markup.Escape(v.ToString()))).ToArray());
            table.AddRow(new[] { "model" }.Concat(compiled.Select(v => Markup.Escape(v.ToString()))).ToArray());
            foreach (var l in layers ?? [])
                foreach (var (variable, values) in l.variables)
                    table.AddRow(new[] { Markup.Escape($"L{l.layer} {variable}") }.Concat(values.Select(Markup.Escape)).ToArray());
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
