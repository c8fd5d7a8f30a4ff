export {
  type SecondaryStorage,
  type VaultSecondaryStorageOptions,
  vaultSecondaryStorage,
} from "./secondary-storage.js";
