// Package corpus gives tests and benchmarks access to the connector update
// corpus: real updates of Microsoft Power Platform connector definitions
// taken from microsoft/PowerPlatformConnectors (MIT License).
//
// The corpus ships as two archives, pairs.tar.xz and snapshot.tar.xz, next to
// an unpack.sh script, in ../shared/corpus relative to the module root. Dir
// unpacks them once into a cache folder shared by every test process
// (os.UserCacheDir()/connectordiff/corpus-<hash>) and returns that folder;
// later runs reuse it. Set CONNECTORDIFF_CORPUS to an already unpacked corpus
// (a folder holding pairs/ and snapshot/) to use it instead.
//
// When the corpus is not there, every function of this package skips the
// calling test, so corpus tests cost nothing where the archives are absent.
//
// Layout of an unpacked corpus:
//
//	pairs/<slug>/<old10>..<new10>/{old,new}/apiDefinition.swagger.json
//	pairs/_invalid/<slug>/<old10>..<new10>/...   pairs with a file that is not strict JSON
//	snapshot/<slug>/apiDefinition.swagger.json
//	snapshot/_invalid/<slug>/...                 HEAD files that are not strict JSON
package corpus
