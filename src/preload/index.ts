import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createApi } from './api.js';

contextBridge.exposeInMainWorld('p2mp', createApi(ipcRenderer, webUtils));
