using System.CommandLine;
using System.Text.Json;
using LLMML.LanguageModels.Devices;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml info`: which TorchSharp/libtorch loaded, on which device, with how many threads.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var command = new Command("info", "Print the TorchSharp and libtorch versions, the device and the thread count.") { json };
        command.SetAction(parse =>
        {
            var rt = TorchRuntime.Describe();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rt, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            var table = new Table().AddColumns("what", "value");
            table.AddRow("TorchSharp", rt.TorchSharpVersion);
            table.AddRow("libtorch", rt.LibTorchVersion);
            table.AddRow("device", rt.CudaAvailable ? $"cuda ({rt.CudaDevices} devices)" : "cpu");
            table.AddRow("threads", rt.Threads.ToString());
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
