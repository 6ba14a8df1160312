using LLMML.Complexity.Coding;using LLMML.LanguageModels.Generation;using System.Text.RegularExpressions;
var M=LanguageModel.Load(args[0]);var p=new LanguageModelCoder(M).DecodeText(CodedBits.Read(args[1]));
foreach(var c in File.ReadLines(args[2]).Select(x=>p+x).Chunk(64))foreach(var o in M.Generate(c,new(){MaxNewTokens=(int)M.Config.MaxPositionEmbeddings-c.Max(x=>M.EncodePrompt(x).Count)}))Console.WriteLine(Regex.Match(o,@"^ ([\p{L}\p{N}]*)").Groups[1]);
