using LLMML.Complexity.Coding;using LLMML.LanguageModels.Generation;using LLMML.LanguageModels.Hooks;using System.Text.RegularExpressions;using static TorchSharp.torch;
var M=LanguageModel.Load(args[0]);var C=M.Config;var r=PayloadReader.Open(args[1]);var k=(int)r.ReadGamma()-1;var a=r.ReadBit();var K=Enum.GetValues<WeightKind>().Where(_=>r.ReadBit()).ToArray();
var D=(from l in Enumerable.Range(0,(int)C.NumLayers) from x in K select(l,x)).Select(p=>{var w=ModelWeights.Get(M.Model,p.l,p.x);var W=w.Weight.to_type(float64);var H=ModelWeights.HeadCount(C,p.x)??1;var o=p.x==WeightKind.Output;
var(u,s,v)=linalg.svd((o?W.view(H,-1,W.shape[1]):W.view(W.shape[0],H,-1).permute(1,0,2)).contiguous(),fullMatrices:false);return(p,w,W,o,u,s,V:v.transpose(1,2).contiguous());}).ToArray();
var n=D.Sum(d=>(int)d.s.numel());var S=SubsetCode.Decode(r.ReadCode(SubsetCode.Length(n,k)),n,k).ToHashSet();var i=0;
foreach(var d in D){var m=zeros_like(d.s);var e=0;for(var j=0;j<d.s.numel();j++)if(S.Contains(i++)){m.view(-1)[j]=1.0;e++;}if(e<1)continue;
var P=einsum("hir,hr,hor->hio",d.u,d.s*m,d.V);P=d.o?P.reshape(d.W.shape):P.permute(1,0,2).reshape(d.W.shape);Tensor b=null;if(a){b=d.w.Bias.clone();WeightQuantisation.Read(r,b,16);b=d.w.Bias+b;}
ModelWeights.Set(M.Model,d.p.l,d.p.x,null,(d.W-P).to_type(float32),b);}
foreach(var c in File.ReadLines(args[2]).Chunk(64))foreach(var o in M.Generate(c,new()))Console.WriteLine(Regex.Match(o,@"^ ([\p{L}\p{N}]*)").Groups[1]);
