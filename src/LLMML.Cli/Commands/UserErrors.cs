using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Syntax;

namespace LLMML.Cli.Commands;

/// <summary>
/// The exceptions that mean "your input is wrong" (a missing file, an unknown task, a RASP program that breaks a
/// rule): the CLI prints their message on one line and exits with 2. Anything else is our bug and keeps its stack trace.
/// </summary>
internal static class UserErrors
{
    public static bool Is(Exception e) => e is ArgumentException or InvalidDataException or IOException
        or InvalidOperationException or NotSupportedException or KeyNotFoundException
        or RaspCompileException or RaspSyntaxException or RaspEvaluationException;
}
