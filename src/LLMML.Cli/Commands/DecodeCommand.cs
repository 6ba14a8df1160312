using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using LLMML.TracrInjection.Transforms;
using Microsoft.ML;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml decode`: the RASP variables an injected LM holds at every position of one input (argmax of A(h_L) per variable).</summary>
internal static class DecodeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A fitted injection: the model.llmml that `llmml inject` wrote (or its directory).", Required = true };
        var input = new Option<string>("--input") { Description = "The prompt, e.g. \"What is the number of 'x' in this text? x y x\\nAnswer:\" (\\n is a newline).", Required = true };
        var trace = new Option<bool>("--trace") { Description = "Print every variable at every position as a table (default: only the output variable)." };
        var json = CommonOptions.Json();
        var command = new Command("decode", "Read every RASP variable, position by position, from an injected LM's residual stream.") { model, input, trace, json };
        command.SetAction((parse, _) =>
        {
            var path = parse.GetValue(model)!;
            if (Directory.Exists(path)) path = Path.Combine(path, "model.llmml");
            if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist (expected the model.llmml written by `llmml inject`).", path);
            var text = parse.GetValue(input)!.Replace("\\n", "\n", StringComparison.Ordinal);
            using var injected = TracrInjectTransformer.Load(new MLContext(), path);
            var row = injected.DecodeVariables([text])[0];
            var variables = parse.GetValue(trace) ? row.Variables.Keys.ToList() : [injected.Teacher.Output];
            if (parse.GetValue(json))
            {
                var node = new JsonObject
                {
                    ["tokens"] = new JsonArray(row.Tokens.Select(t => (JsonNode)t).ToArray()),
                    ["compiledInput"] = new JsonArray(row.CompiledInput.Select(v => (JsonNode)v.ToString()).ToArray()),
                    ["variables"] = new JsonObject(row.Variables.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonArray(kv.Value.Select(v => (JsonNode)v.ToString()).ToArray())))),
                };
                Console.WriteLine(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return Task.FromResult(0);
            }
            var table = new Table().AddColumn("pos").AddColumn("token").AddColumn("aligned");
            foreach (var v in variables) table.AddColumn(Markup.Escape(v));
            for (var p = 0; p < row.Tokens.Count; p++)
                table.AddRow([p.ToString(), Markup.Escape(row.Tokens[p].Replace("\n", "\\n")), Markup.Escape(row.CompiledInput[p].ToString()),
                    .. variables.Select(v => Markup.Escape(row.Variables[v][p].ToString()))]);
            AnsiConsole.Write(table);
            return Task.FromResult(0);
        });
        return command;
    }
}
