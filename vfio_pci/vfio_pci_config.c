// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-pci config space virtualization: what the user reads from and
 * writes to the config region of a device file.
 *
 * open_device builds three per-byte maps of the config space:
 *   vconfig - virtual values;
 *   vmask   - bits read from vconfig instead of the device; a write to
 *             them goes to vconfig;
 *   wmask   - bits the user may write; those that are not virtual are
 *             written to the device (read-modify-write), other writes are
 *             dropped.
 * A read returns (device & ~vmask) | (vconfig & vmask).  A few registers
 * need more than that and have hooks below: the command register, BARs,
 * MSI flags, PM control, function resets through the PCIe and AF
 * capabilities, and VPD.
 *
 * cfg_map says which capability owns each byte; an access is cut into
 * naturally aligned pieces of 1, 2 or 4 bytes that never span two owners.
 * Capabilities that the user should not see (unknown ones, and those
 * upstream hides) are unlinked from the capability lists in vconfig.
 * Bytes that no visible capability claims pass through to the device,
 * read and write, as upstream does: some devices keep registers there, and
 * as for BARs we rely on the IOMMU to contain what the device then does.
 */
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/unaligned.h>

#include "vfio_pci_priv.h"

/* cfg_map values besides capability IDs */
#define VFIO_CFG_HEADER		0x00	/* the standard header */
#define VFIO_CFG_HIDDEN		0xfe	/* placeholder of a hidden ecap */
#define VFIO_CFG_RAW		0xff	/* no visible capability */

/* The next pointer in the header of an extended capability */
#define VFIO_ECAP_NEXT_SHIFT	20
#define VFIO_ECAP_NEXT_MASK	(0xffcU << VFIO_ECAP_NEXT_SHIFT)

#define ALL_VIRT		0xffffffffU
#define ALL_WRITE		0xffffffffU

/* Little-endian value of @n bytes of the byte map @map at @pos */
static u32 cfg_get(const u8 *map, int pos, int n)
{
	u32 val = 0;
	int i;

	for (i = 0; i < n; i++)
		val |= (u32)map[pos + i] << (8 * i);
	return val;
}

static void cfg_set(u8 *map, int pos, int n, u32 val)
{
	int i;

	for (i = 0; i < n; i++)
		map[pos + i] = val >> (8 * i);
}

/* Sets the virtual and writable bits of the @n byte register at @pos */
static void cfg_perm(struct vfio_pci_device *vdev, int pos, int n,
		     u32 virt, u32 write)
{
	cfg_set(vdev->vmask, pos, n, virt);
	cfg_set(vdev->wmask, pos, n, write);
}

static u16 vconfig_word(struct vfio_pci_device *vdev, int pos)
{
	return cfg_get(vdev->vconfig, pos, 2);
}

/* The device's config space, as the user may reach it (errnos) */
static int vfio_user_read(struct pci_dev *pdev, int pos, int n, u32 *val)
{
	u16 word;
	u8 byte;
	int ret;

	switch (n) {
	case 1:
		ret = pci_user_read_config_byte(pdev, pos, &byte);
		*val = byte;
		return ret;
	case 2:
		ret = pci_user_read_config_word(pdev, pos, &word);
		*val = word;
		return ret;
	default:
		return pci_user_read_config_dword(pdev, pos, val);
	}
}

static int vfio_user_write(struct pci_dev *pdev, int pos, int n, u32 val)
{
	switch (n) {
	case 1:
		return pci_user_write_config_byte(pdev, pos, val);
	case 2:
		return pci_user_write_config_word(pdev, pos, val);
	default:
		return pci_user_write_config_dword(pdev, pos, val);
	}
}

static bool vfio_cfg_covers(int pos, int n, int reg)
{
	return pos <= reg && reg < pos + n;
}

static bool vfio_cfg_is_bar(int pos)
{
	return (pos >= PCI_BASE_ADDRESS_0 && pos < PCI_BASE_ADDRESS_5 + 4) ||
	       (pos >= PCI_ROM_ADDRESS && pos < PCI_ROM_ADDRESS + 4);
}

/*
 * The default read and write of a piece: @n bytes at @pos, naturally
 * aligned, of one owner; values are little-endian as in config space.
 */
static int vfio_cfg_default_read(struct vfio_pci_device *vdev, int pos,
				 int n, u32 *val)
{
	u32 all = n == 4 ? ALL_VIRT : (1U << (8 * n)) - 1;
	u32 virt = cfg_get(vdev->vmask, pos, n);
	u32 phys;
	int ret;

	*val = cfg_get(vdev->vconfig, pos, n);
	if (virt == all)
		return 0;

	ret = vfio_user_read(vdev->pdev, pos, n, &phys);
	if (ret)
		return ret;

	*val = (phys & ~virt) | (*val & virt);
	return 0;
}

static int vfio_cfg_default_write(struct vfio_pci_device *vdev, int pos,
				  int n, u32 val)
{
	u32 write = cfg_get(vdev->wmask, pos, n);
	u32 virt = cfg_get(vdev->vmask, pos, n);
	u32 phys;
	int ret;

	if (write & virt) {
		u32 vval = cfg_get(vdev->vconfig, pos, n);

		vval = (vval & ~(write & virt)) | (val & write & virt);
		cfg_set(vdev->vconfig, pos, n, vval);
	}

	if (write & ~virt) {
		ret = vfio_user_read(vdev->pdev, pos, n, &phys);
		if (ret)
			return ret;

		phys = (phys & ~(write & ~virt)) | (val & write & ~virt);
		ret = vfio_user_write(vdev->pdev, pos, n, phys);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * The standard header
 */
static u32 vfio_bar_flags(struct pci_dev *pdev, int bar)
{
	unsigned long flags = pci_resource_flags(pdev, bar);
	u32 val;

	if (flags & IORESOURCE_IO)
		return PCI_BASE_ADDRESS_SPACE_IO;

	val = PCI_BASE_ADDRESS_SPACE_MEMORY;
	if (flags & IORESOURCE_PREFETCH)
		val |= PCI_BASE_ADDRESS_MEM_PREFETCH;
	if (flags & IORESOURCE_MEM_64)
		val |= PCI_BASE_ADDRESS_MEM_TYPE_64;
	return val;
}

/*
 * Makes the virtual BARs behave like hardware ones after the user wrote
 * them: the bits below the size read as zero (so that writing all ones
 * sizes the BAR), the type bits are the real ones, and a BAR the host
 * left unassigned reads as unimplemented.
 */
static void vfio_bar_fixup(struct vfio_pci_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	u64 mask;
	u32 val;
	int bar, pos;

	if (!vdev->bardirty)
		return;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		pos = PCI_BASE_ADDRESS_0 + 4 * bar;

		if (!pci_resource_start(pdev, bar)) {
			cfg_set(vdev->vconfig, pos, 4, 0);
			continue;
		}

		mask = ~(pci_resource_len(pdev, bar) - 1);
		val = cfg_get(vdev->vconfig, pos, 4) & (u32)mask;
		val |= vfio_bar_flags(pdev, bar);
		cfg_set(vdev->vconfig, pos, 4, val);

		if ((val & PCI_BASE_ADDRESS_SPACE_IO) ||
		    !(val & PCI_BASE_ADDRESS_MEM_TYPE_64) ||
		    bar == PCI_STD_NUM_BARS - 1)
			continue;

		/* The upper half of a 64-bit BAR */
		bar++;
		pos += 4;
		val = cfg_get(vdev->vconfig, pos, 4) & (u32)(mask >> 32);
		cfg_set(vdev->vconfig, pos, 4, val);
	}

	if (pci_resource_start(pdev, PCI_ROM_RESOURCE))
		mask = ~(pci_resource_len(pdev, PCI_ROM_RESOURCE) - 1);
	else if (pdev->resource[PCI_ROM_RESOURCE].flags &
		 IORESOURCE_ROM_SHADOW)
		mask = ~(u64)(VFIO_PCI_SHADOW_ROM_SIZE - 1);
	else
		mask = 0;
	if (mask)
		mask |= PCI_ROM_ADDRESS_ENABLE;
	val = cfg_get(vdev->vconfig, PCI_ROM_ADDRESS, 4) & (u32)mask;
	cfg_set(vdev->vconfig, PCI_ROM_ADDRESS, 4, val);

	vdev->bardirty = false;
}

/* Did the device lose its BARs, say in a reset we did not see? */
static bool vfio_need_bar_restore(struct vfio_pci_device *vdev)
{
	u32 bar;
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		if (!vdev->rbar[i])
			continue;
		if (pci_user_read_config_dword(vdev->pdev,
					       PCI_BASE_ADDRESS_0 + 4 * i, &bar) ||
		    bar != vdev->rbar[i])
			return true;
	}
	return false;
}

static void vfio_bar_restore(struct vfio_pci_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	u16 cmd;
	int i;

	if (pdev->is_virtfn)
		return;

	pci_info(pdev, "%s: reset recovery - restoring BARs\n", __func__);

	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		pci_user_write_config_dword(pdev, PCI_BASE_ADDRESS_0 + 4 * i,
					    vdev->rbar[i]);
	pci_user_write_config_dword(pdev, PCI_ROM_ADDRESS,
				    vdev->rbar[PCI_STD_NUM_BARS]);

	if (vdev->nointx) {
		pci_user_read_config_word(pdev, PCI_COMMAND, &cmd);
		pci_user_write_config_word(pdev, PCI_COMMAND,
					   cmd | PCI_COMMAND_INTX_DISABLE);
	}
}

static int vfio_cfg_header_read(struct vfio_pci_device *vdev, int pos, int n,
				u32 *val)
{
	int ret;

	if (vfio_cfg_is_bar(pos))
		vfio_bar_fixup(vdev);

	ret = vfio_cfg_default_read(vdev, pos, n, val);
	if (ret)
		return ret;

	/* Show the virtual memory enable of devices without one */
	if (vfio_cfg_covers(pos, n, PCI_COMMAND) &&
	    vdev->pdev->no_command_memory)
		*val |= vconfig_word(vdev, PCI_COMMAND) & PCI_COMMAND_MEMORY;
	return 0;
}

/*
 * The command register goes to the device except INTx disable, which is
 * virtual: vfio-pci masks INTx with it itself, and emulates it for the
 * user.  Memory and I/O enable are also tracked in vconfig, under
 * memory_lock, for the BAR access paths; BAR mappings are zapped before
 * memory decode goes off.
 */
static int vfio_cfg_header_write(struct vfio_pci_device *vdev, int pos,
				 int n, u32 val)
{
	struct pci_dev *pdev = vdev->pdev;
	bool is_cmd = pos == PCI_COMMAND;
	u16 new_cmd = val;
	int ret;

	if (is_cmd) {
		u16 virt_cmd = vconfig_word(vdev, PCI_COMMAND);
		bool phys_mem, virt_mem, new_mem, phys_io, virt_io, new_io;
		u16 phys_cmd;

		ret = pci_user_read_config_word(pdev, PCI_COMMAND, &phys_cmd);
		if (ret)
			return ret;

		phys_mem = phys_cmd & PCI_COMMAND_MEMORY;
		virt_mem = virt_cmd & PCI_COMMAND_MEMORY;
		new_mem = new_cmd & PCI_COMMAND_MEMORY;
		phys_io = phys_cmd & PCI_COMMAND_IO;
		virt_io = virt_cmd & PCI_COMMAND_IO;
		new_io = new_cmd & PCI_COMMAND_IO;

		if (!new_mem)
			vfio_pci_zap_and_down_write_memory_lock(vdev);
		else
			down_write(&vdev->memory_lock);

		/*
		 * The user enables decode we think is on while the device
		 * has it off: the device went through a reset behind our
		 * back and lost its BARs.  Restore them first.
		 */
		if ((new_mem && virt_mem && !phys_mem &&
		     !pdev->no_command_memory) ||
		    (new_io && virt_io && !phys_io) ||
		    vfio_need_bar_restore(vdev))
			vfio_bar_restore(vdev);
	}

	ret = vfio_cfg_default_write(vdev, pos, n, val);

	if (is_cmd) {
		if (!ret) {
			u16 mask = PCI_COMMAND_MEMORY | PCI_COMMAND_IO;
			u16 cmd = vconfig_word(vdev, PCI_COMMAND);

			cmd = (cmd & ~mask) | (new_cmd & mask);
			cfg_set(vdev->vconfig, PCI_COMMAND, 2, cmd);
		}
		up_write(&vdev->memory_lock);
	}
	if (ret)
		return ret;

	/* Emulate INTx disable */
	if (vfio_cfg_covers(pos, n, PCI_COMMAND) ||
	    vfio_cfg_covers(pos, n, PCI_COMMAND + 1)) {
		u16 cmd = vconfig_word(vdev, PCI_COMMAND);
		bool disabled = cmd & PCI_COMMAND_INTX_DISABLE;

		vfio_pci_intx_set_virq_disabled(vdev, disabled);
	}

	if (vfio_cfg_is_bar(pos))
		vdev->bardirty = true;
	return 0;
}

static void vfio_cfg_header_perms(struct vfio_pci_device *vdev)
{
	/* Virtual for VFs, whose IDs read as ffff */
	cfg_perm(vdev, PCI_VENDOR_ID, 2, ALL_VIRT, 0);
	cfg_perm(vdev, PCI_DEVICE_ID, 2, ALL_VIRT, 0);
	cfg_perm(vdev, PCI_COMMAND, 2, PCI_COMMAND_INTX_DISABLE, ALL_WRITE);
	/* Capabilities may all be hidden */
	cfg_perm(vdev, PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0);
	/* No harm in writing these */
	cfg_perm(vdev, PCI_CACHE_LINE_SIZE, 1, 0, ALL_WRITE);
	cfg_perm(vdev, PCI_LATENCY_TIMER, 1, 0, ALL_WRITE);
	cfg_perm(vdev, PCI_BIST, 1, 0, ALL_WRITE);
	/* The user never moves the real BARs */
	cfg_perm(vdev, PCI_BASE_ADDRESS_0, 4, ALL_VIRT, ALL_WRITE);
	cfg_perm(vdev, PCI_BASE_ADDRESS_1, 4, ALL_VIRT, ALL_WRITE);
	cfg_perm(vdev, PCI_BASE_ADDRESS_2, 4, ALL_VIRT, ALL_WRITE);
	cfg_perm(vdev, PCI_BASE_ADDRESS_3, 4, ALL_VIRT, ALL_WRITE);
	cfg_perm(vdev, PCI_BASE_ADDRESS_4, 4, ALL_VIRT, ALL_WRITE);
	cfg_perm(vdev, PCI_BASE_ADDRESS_5, 4, ALL_VIRT, ALL_WRITE);
	cfg_perm(vdev, PCI_ROM_ADDRESS, 4, ALL_VIRT, ALL_WRITE);
	/* The capability list we show */
	cfg_perm(vdev, PCI_CAPABILITY_LIST, 1, ALL_VIRT, 0);
	/* Used by software only */
	cfg_perm(vdev, PCI_INTERRUPT_LINE, 1, ALL_VIRT, ALL_WRITE);
	/* Virtual, so that INTx can be hidden */
	cfg_perm(vdev, PCI_INTERRUPT_PIN, 1, ALL_VIRT, 0);
}

/*
 * Capabilities.  Each *_perms() function sets the permissions of the
 * registers of a capability of @len bytes at @pos, once they are in
 * vconfig; those of a kind that vfio-pci acts on when written (see
 * vfio_cfg_write_piece()) only do it for the first one of their kind.
 */

/* Records @pos in *@first, if it is the first capability of its kind */
static bool vfio_cap_first(u8 *first, int pos)
{
	if (*first)
		return false;
	*first = pos;
	return true;
}

/* Power management: the user asks for a state, vfio-pci sets it */
static void vfio_cfg_pm_perms(struct vfio_pci_device *vdev, int pos, int len)
{
	u16 pmc, ctrl;

	if (!vfio_cap_first(&vdev->pm_pos, pos))
		return;

	/* The user cannot handle PME: hide support, status and enable */
	cfg_perm(vdev, pos + PCI_PM_PMC, 2, PCI_PM_CAP_PME_MASK, 0);
	cfg_perm(vdev, pos + PCI_PM_CTRL, 4,
		 PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS,
		 ~(PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS |
		   PCI_PM_CTRL_STATE_MASK));

	pmc = vconfig_word(vdev, pos + PCI_PM_PMC) & ~PCI_PM_CAP_PME_MASK;
	cfg_set(vdev->vconfig, pos + PCI_PM_PMC, 2, pmc);
	ctrl = vconfig_word(vdev, pos + PCI_PM_CTRL) &
	       ~(PCI_PM_CTRL_PME_ENABLE | PCI_PM_CTRL_PME_STATUS);
	cfg_set(vdev->vconfig, pos + PCI_PM_CTRL, 2, ctrl);
}

static void vfio_cfg_pm_write(struct vfio_pci_device *vdev, int pos, u32 val)
{
	static const pci_power_t states[] = {
		PCI_D0, PCI_D1, PCI_D2, PCI_D3hot
	};
	pci_power_t state;

	if (pos != vdev->pm_pos + PCI_PM_CTRL)
		return;

	state = states[val & PCI_PM_CTRL_STATE_MASK];
	if (!vfio_pci_power_below(state, PCI_D3hot))
		vfio_pci_zap_and_down_write_memory_lock(vdev);
	else
		down_write(&vdev->memory_lock);
	vfio_pci_set_power_state(vdev, state);
	up_write(&vdev->memory_lock);
}

/* VPD: address and data are virtual, and go through pci_*_vpd() */
static void vfio_cfg_vpd_perms(struct vfio_pci_device *vdev, int pos,
			       int len)
{
	if (!vfio_cap_first(&vdev->vpd_pos, pos))
		return;
	cfg_perm(vdev, pos + PCI_VPD_ADDR, 2, ALL_VIRT, ALL_WRITE);
	cfg_perm(vdev, pos + PCI_VPD_DATA, 4, ALL_VIRT, ALL_WRITE);
}

static void vfio_cfg_vpd_write(struct vfio_pci_device *vdev, int pos, int n)
{
	int addr_pos = vdev->vpd_pos + PCI_VPD_ADDR;
	u8 *data = vdev->vconfig + vdev->vpd_pos + PCI_VPD_DATA;
	u16 addr;

	/* Only a write of the flag's byte starts a transfer */
	if (!vfio_cfg_covers(pos, n, addr_pos + 1))
		return;

	addr = vconfig_word(vdev, addr_pos);
	if (addr & PCI_VPD_ADDR_F) {
		if (pci_write_vpd(vdev->pdev, addr & ~PCI_VPD_ADDR_F, 4,
				  data) != 4)
			return;
	} else {
		if (pci_read_vpd(vdev->pdev, addr, 4, data) < 0)
			return;
	}

	/* Completion toggles the flag; left alone, the user times out */
	cfg_set(vdev->vconfig, addr_pos, 2, addr ^ PCI_VPD_ADDR_F);
}

static void vfio_cfg_pcix_perms(struct vfio_pci_device *vdev, int pos,
				int len)
{
	cfg_perm(vdev, pos + PCI_X_CMD, 2, 0, ALL_WRITE);
	if (len > PCI_X_ECC_CSR)
		cfg_perm(vdev, pos + PCI_X_ECC_CSR, 4, 0, ALL_WRITE);
}

/*
 * PCI Express: the user may write the device control registers, except
 * phantom functions (they would confuse the IOMMU) and the ARI forwarding
 * bit that the host set.  Max payload size is virtual (it must match the
 * rest of the fabric), and so are function reset and max read request
 * size, which the hook below applies.
 */
static void vfio_cfg_exp_perms(struct vfio_pci_device *vdev, int pos,
			       int len)
{
	if (!vfio_cap_first(&vdev->exp_pos, pos))
		return;
	cfg_perm(vdev, pos + PCI_EXP_DEVCTL, 2,
		 PCI_EXP_DEVCTL_BCR_FLR | PCI_EXP_DEVCTL_PAYLOAD |
		 PCI_EXP_DEVCTL_READRQ, (u16)~PCI_EXP_DEVCTL_PHANTOM);
	if (len > PCI_EXP_DEVCTL2)
		cfg_perm(vdev, pos + PCI_EXP_DEVCTL2, 2, 0,
			 (u16)~PCI_EXP_DEVCTL2_ARI);
}

static void vfio_cfg_reset_function(struct vfio_pci_device *vdev)
{
	vfio_pci_zap_and_down_write_memory_lock(vdev);
	pci_try_reset_function(vdev->pdev);
	up_write(&vdev->memory_lock);
}

static void vfio_cfg_exp_write(struct vfio_pci_device *vdev, u16 old_ctrl)
{
	int ctrl_pos = vdev->exp_pos + PCI_EXP_DEVCTL;
	u16 ctrl = vconfig_word(vdev, ctrl_pos);

	/* Reads as 0 always; resets the function if it has FLR */
	if (ctrl & PCI_EXP_DEVCTL_BCR_FLR) {
		u32 cap;

		ctrl &= ~PCI_EXP_DEVCTL_BCR_FLR;
		cfg_set(vdev->vconfig, ctrl_pos, 2, ctrl);

		if (!pci_user_read_config_dword(vdev->pdev,
						vdev->exp_pos + PCI_EXP_DEVCAP,
						&cap) &&
		    (cap & PCI_EXP_DEVCAP_FLR))
			vfio_cfg_reset_function(vdev);
	}

	/*
	 * Let the user lower the max read request size, but not below the
	 * max payload size, so that full TLPs remain possible.
	 */
	if ((ctrl ^ old_ctrl) & PCI_EXP_DEVCTL_READRQ) {
		int readrq = 128 << ((ctrl & PCI_EXP_DEVCTL_READRQ) >> 12);

		pcie_set_readrq(vdev->pdev,
				max(readrq, pcie_get_mps(vdev->pdev)));
	}
}

/* Advanced features: function reset is virtual, as for PCIe */
static void vfio_cfg_af_perms(struct vfio_pci_device *vdev, int pos, int len)
{
	if (vfio_cap_first(&vdev->af_pos, pos))
		cfg_perm(vdev, pos + PCI_AF_CTRL, 1, PCI_AF_CTRL_FLR,
			 PCI_AF_CTRL_FLR);
}

static void vfio_cfg_af_write(struct vfio_pci_device *vdev)
{
	int ctrl_pos = vdev->af_pos + PCI_AF_CTRL;
	u8 ctrl = vdev->vconfig[ctrl_pos];
	u8 cap;

	if (!(ctrl & PCI_AF_CTRL_FLR))
		return;

	vdev->vconfig[ctrl_pos] = ctrl & ~PCI_AF_CTRL_FLR;

	if (!pci_user_read_config_byte(vdev->pdev, vdev->af_pos + PCI_AF_CAP,
				       &cap) &&
	    (cap & PCI_AF_CAP_FLR) && (cap & PCI_AF_CAP_TP))
		vfio_cfg_reset_function(vdev);
}

/*
 * MSI is set up by VFIO_DEVICE_SET_IRQS, never by config writes: the
 * control, address and data registers are virtual.  Of the control
 * register the user writes, the enable bit only stays set while MSI is in
 * use, and the queue size is capped at what was last enabled.  Multiple
 * Message Capable reads as the device's, or what the user wrote there:
 * upstream 6.1 means to show the enabled queue size instead, but its hook
 * misses the register, and clients (QEMU) size MSI from this field.
 */
static void vfio_cfg_msi_perms(struct vfio_pci_device *vdev, int pos,
			       int len)
{
	u16 flags;

	if (!vfio_cap_first(&vdev->msi_pos, pos))
		return;

	flags = vconfig_word(vdev, pos + PCI_MSI_FLAGS);
	cfg_perm(vdev, pos + PCI_MSI_FLAGS, 1, ALL_VIRT, ALL_WRITE);
	cfg_perm(vdev, pos + PCI_MSI_ADDRESS_LO, 4, ALL_VIRT, ALL_WRITE);
	if (flags & PCI_MSI_FLAGS_64BIT) {
		cfg_perm(vdev, pos + PCI_MSI_ADDRESS_HI, 4, ALL_VIRT,
			 ALL_WRITE);
		cfg_perm(vdev, pos + PCI_MSI_DATA_64, 2, ALL_VIRT, ALL_WRITE);
		if (flags & PCI_MSI_FLAGS_MASKBIT) {
			cfg_perm(vdev, pos + PCI_MSI_MASK_64, 4, 0, ALL_WRITE);
			cfg_perm(vdev, pos + PCI_MSI_PENDING_64, 4, 0,
				 ALL_WRITE);
		}
	} else {
		cfg_perm(vdev, pos + PCI_MSI_DATA_32, 2, ALL_VIRT, ALL_WRITE);
		if (flags & PCI_MSI_FLAGS_MASKBIT) {
			cfg_perm(vdev, pos + PCI_MSI_MASK_32, 4, 0, ALL_WRITE);
			cfg_perm(vdev, pos + PCI_MSI_PENDING_32, 4, 0,
				 ALL_WRITE);
		}
	}
}

static void vfio_cfg_msi_write(struct vfio_pci_device *vdev, int pos, int n)
{
	int flags_pos = vdev->msi_pos + PCI_MSI_FLAGS;
	u8 qmax = READ_ONCE(vdev->msi_qmax);
	u16 flags;

	if (!vfio_cfg_covers(pos, n, flags_pos))
		return;

	flags = vconfig_word(vdev, flags_pos);
	if (READ_ONCE(vdev->irq_type) != VFIO_PCI_MSI_IRQ_INDEX)
		flags &= ~PCI_MSI_FLAGS_ENABLE;
	if ((flags & PCI_MSI_FLAGS_QSIZE) >> 4 > qmax) {
		flags &= ~PCI_MSI_FLAGS_QSIZE;
		flags |= qmax << 4;
	}
	cfg_set(vdev->vconfig, flags_pos, 2, flags);
}

/* Vendor specific: its registers go to the device as they are */
static void vfio_cfg_vndr_perms(struct vfio_pci_device *vdev, int pos,
				int len)
{
	if (len > PCI_CAP_FLAGS)
		cfg_perm(vdev, pos + PCI_CAP_FLAGS, 1, 0, ALL_WRITE);
	if (len > PCI_CAP_FLAGS + 1)
		memset(vdev->wmask + pos + PCI_CAP_FLAGS + 1, 0xff,
		       len - PCI_CAP_FLAGS - 1);
}

/* Extended capability: Advanced Error Reporting */
static void vfio_cfg_err_perms(struct vfio_pci_device *vdev, int pos, int len)
{
	u32 mask;

	mask = PCI_ERR_UNC_UND | PCI_ERR_UNC_DLP | PCI_ERR_UNC_SURPDN |
	       PCI_ERR_UNC_POISON_TLP | PCI_ERR_UNC_FCP |
	       PCI_ERR_UNC_COMP_TIME | PCI_ERR_UNC_COMP_ABORT |
	       PCI_ERR_UNC_UNX_COMP | PCI_ERR_UNC_RX_OVER |
	       PCI_ERR_UNC_MALF_TLP | PCI_ERR_UNC_ECRC | PCI_ERR_UNC_UNSUP |
	       PCI_ERR_UNC_ACSV | PCI_ERR_UNC_INTN | PCI_ERR_UNC_MCBTLP |
	       PCI_ERR_UNC_ATOMEG | PCI_ERR_UNC_TLPPRE;
	cfg_perm(vdev, pos + PCI_ERR_UNCOR_STATUS, 4, 0, mask);
	cfg_perm(vdev, pos + PCI_ERR_UNCOR_MASK, 4, 0, mask);
	cfg_perm(vdev, pos + PCI_ERR_UNCOR_SEVER, 4, 0, mask);

	mask = PCI_ERR_COR_RCVR | PCI_ERR_COR_BAD_TLP | PCI_ERR_COR_BAD_DLLP |
	       PCI_ERR_COR_REP_ROLL | PCI_ERR_COR_REP_TIMER |
	       PCI_ERR_COR_ADV_NFAT | PCI_ERR_COR_INTERNAL |
	       PCI_ERR_COR_LOG_OVER;
	cfg_perm(vdev, pos + PCI_ERR_COR_STATUS, 4, 0, mask);
	cfg_perm(vdev, pos + PCI_ERR_COR_MASK, 4, 0, mask);

	cfg_perm(vdev, pos + PCI_ERR_CAP, 4, 0,
		 PCI_ERR_CAP_ECRC_GENE | PCI_ERR_CAP_ECRC_CHKE);
}

/* Extended capability: power budgeting; selecting the data is harmless */
static void vfio_cfg_pwr_perms(struct vfio_pci_device *vdev, int pos, int len)
{
	cfg_perm(vdev, pos + PCI_PWR_DATA, 1, 0, ALL_WRITE);
}

/* Extended capability: vendor specific, past its header */
static void vfio_cfg_evndr_perms(struct vfio_pci_device *vdev, int pos,
				 int len)
{
	if (len > 4)
		memset(vdev->wmask + pos + 4, 0xff, len - 4);
}

/*
 * Capability lengths that depend on the device, for the tables below:
 * errnos (negative) if reading it fails, 0 to hide the capability.
 */

/* The byte or word of the device's config space at @pos, or an errno */
static int vfio_cap_byte(struct vfio_pci_device *vdev, int pos)
{
	u8 byte;
	int ret = pci_read_config_byte(vdev->pdev, pos, &byte);

	return ret ? pcibios_err_to_errno(ret) : byte;
}

static int vfio_cap_word(struct vfio_pci_device *vdev, int pos)
{
	u16 word;
	int ret = pci_read_config_word(vdev->pdev, pos, &word);

	return ret ? pcibios_err_to_errno(ret) : word;
}

static int vfio_cap_msi_len(struct vfio_pci_device *vdev, int pos)
{
	int flags = vfio_cap_word(vdev, pos + PCI_MSI_FLAGS);
	int len = 10;

	if (flags < 0)
		return flags;
	if (flags & PCI_MSI_FLAGS_64BIT)
		len += 4;
	if (flags & PCI_MSI_FLAGS_MASKBIT)
		len += 10;
	return len;
}

static int vfio_cap_pcix_len(struct vfio_pci_device *vdev, int pos)
{
	int cmd = vfio_cap_word(vdev, pos + PCI_X_CMD);

	if (cmd < 0)
		return cmd;
	return PCI_X_CMD_VERSION(cmd) ? PCI_CAP_PCIX_SIZEOF_V2 :
					PCI_CAP_PCIX_SIZEOF_V0;
}

static int vfio_cap_vndr_len(struct vfio_pci_device *vdev, int pos)
{
	return vfio_cap_byte(vdev, pos + PCI_CAP_FLAGS);
}

static int vfio_cap_exp_len(struct vfio_pci_device *vdev, int pos)
{
	struct pci_dev *pdev = vdev->pdev;

	if ((pdev->pcie_flags_reg & PCI_EXP_FLAGS_VERS) == 1)
		return pci_pcie_type(pdev) == PCI_EXP_TYPE_RC_END ?
		       0xc : PCI_CAP_EXP_ENDPOINT_SIZEOF_V1;
	return pci_pcie_type(pdev) == PCI_EXP_TYPE_RC_END ?
	       0x2c : PCI_CAP_EXP_ENDPOINT_SIZEOF_V2;
}

static int vfio_cap_ht_len(struct vfio_pci_device *vdev, int pos)
{
	int byte = vfio_cap_byte(vdev, pos + 3);

	if (byte < 0)
		return byte;
	return (byte & HT_3BIT_CAP_MASK) ? HT_CAP_SIZEOF_SHORT :
					   HT_CAP_SIZEOF_LONG;
}

static int vfio_cap_sata_len(struct vfio_pci_device *vdev, int pos)
{
	int regs = vfio_cap_byte(vdev, pos + PCI_SATA_REGS);

	if (regs < 0)
		return regs;
	return (regs & PCI_SATA_REGS_MASK) == PCI_SATA_REGS_INLINE ?
	       PCI_SATA_SIZEOF_LONG : PCI_SATA_SIZEOF_SHORT;
}

/* Virtual channel capabilities (VC, VC9, MFVC) */
static int vfio_vc_cap_len(struct vfio_pci_device *vdev, int pos)
{
	struct pci_dev *pdev = vdev->pdev;
	int ret, evcc, phases, len = PCI_CAP_VC_BASE_SIZEOF;
	u32 cap1, cap2;

	ret = pci_read_config_dword(pdev, pos + PCI_VC_PORT_CAP1, &cap1);
	if (!ret)
		ret = pci_read_config_dword(pdev, pos + PCI_VC_PORT_CAP2,
					    &cap2);
	if (ret)
		return pcibios_err_to_errno(ret);

	evcc = cap1 & PCI_VC_CAP1_EVCC;
	if (cap2 & PCI_VC_CAP2_128_PHASE)
		phases = 128;
	else if (cap2 & PCI_VC_CAP2_64_PHASE)
		phases = 64;
	else if (cap2 & PCI_VC_CAP2_32_PHASE)
		phases = 32;
	else
		phases = 0;

	/*
	 * The arbitration tables are never writable, their exact size does
	 * not matter: count them as 4 bits per phase after the VC resources.
	 */
	len += (1 + evcc) * PCI_CAP_VC_PER_VC_SIZEOF;
	if (phases) {
		len = round_up(len, 16);
		len += phases / 2;
	}
	return len;
}

static int vfio_ecap_vndr_len(struct vfio_pci_device *vdev, int pos)
{
	u32 dword;
	int ret;

	ret = pci_read_config_dword(vdev->pdev, pos + PCI_VSEC_HDR, &dword);
	if (ret)
		return pcibios_err_to_errno(ret);
	return dword >> PCI_VSEC_HDR_LEN_SHIFT;
}

static int vfio_ecap_acs_len(struct vfio_pci_device *vdev, int pos)
{
	int cap = vfio_cap_byte(vdev, pos + PCI_ACS_CAP);
	int egress_bits;

	if (cap < 0)
		return cap;
	if (!(cap & PCI_ACS_EC))
		return 8;

	egress_bits = vfio_cap_byte(vdev, pos + PCI_ACS_EGRESS_BITS);
	if (egress_bits < 0)
		return egress_bits;
	egress_bits = egress_bits ? round_up(egress_bits, 32) : 256;
	return 8 + egress_bits / 8;
}

static int vfio_ecap_rebar_len(struct vfio_pci_device *vdev, int pos)
{
	int ctrl = vfio_cap_byte(vdev, pos + PCI_REBAR_CTRL);

	if (ctrl < 0)
		return ctrl;
	ctrl &= PCI_REBAR_CTRL_NBAR_MASK;
	ctrl >>= PCI_REBAR_CTRL_NBAR_SHIFT;
	return 4 + ctrl * 8;
}

static int vfio_ecap_dpa_len(struct vfio_pci_device *vdev, int pos)
{
	int cap = vfio_cap_byte(vdev, pos + PCI_DPA_CAP);

	if (cap < 0)
		return cap;
	return PCI_DPA_BASE_SIZEOF + (cap & PCI_DPA_CAP_SUBSTATE_MASK) + 1;
}

static int vfio_ecap_tph_len(struct vfio_pci_device *vdev, int pos)
{
	u32 dword;
	int ret;

	ret = pci_read_config_dword(vdev->pdev, pos + PCI_TPH_CAP, &dword);
	if (ret)
		return pcibios_err_to_errno(ret);
	if ((dword & PCI_TPH_CAP_LOC_MASK) == PCI_TPH_LOC_CAP) {
		int sts = (dword & PCI_TPH_CAP_ST_MASK) >>
			  PCI_TPH_CAP_ST_SHIFT;

		return PCI_TPH_BASE_SIZEOF + sts * 2 + 2;
	}
	return PCI_TPH_BASE_SIZEOF;
}

/* Copies @len bytes at @pos from the device into vconfig */
static int vfio_fill_vconfig(struct vfio_pci_device *vdev, int pos, int len)
{
	struct pci_dev *pdev = vdev->pdev;
	int ret, n;
	u32 val;

	for (; len > 0; pos += n, len -= n) {
		if (len >= 4 && !(pos % 4))
			n = 4;
		else if (len >= 2 && !(pos % 2))
			n = 2;
		else
			n = 1;

		switch (n) {
		case 4:
			ret = pci_read_config_dword(pdev, pos, &val);
			break;
		case 2: {
			u16 word;

			ret = pci_read_config_word(pdev, pos, &word);
			val = word;
			break;
		}
		default: {
			u8 byte;

			ret = pci_read_config_byte(pdev, pos, &byte);
			val = byte;
			break;
		}
		}
		if (ret)
			return pcibios_err_to_errno(ret);
		cfg_set(vdev->vconfig, pos, n, val);
	}
	return 0;
}

/* Claims @len bytes at @pos for @owner, read-only from the device */
static void vfio_cfg_claim(struct vfio_pci_device *vdev, int pos, int len,
			   u8 owner)
{
	int i;

	for (i = 0; i < len; i++) {
		if (vdev->cfg_map[pos + i] != VFIO_CFG_RAW)
			pci_warn(vdev->pdev, "config conflict @%#x, was cap %#x now cap %#x\n",
				 pos + i, vdev->cfg_map[pos + i], owner);
	}
	memset(vdev->cfg_map + pos, owner, len);
	memset(vdev->vmask + pos, 0, len);
	memset(vdev->wmask + pos, 0, len);
}

/*
 * What config space knows of each capability, by ID: its length, a fixed
 * @size or what @len() reads from the device, 0 to hide it; and @perms(),
 * if some of its registers are virtual or writable.  An ID without an
 * entry is hidden: unknown ones, and those upstream hides (bridge
 * subsystem ID, CompactPCI, debug port; root complex only ecaps).
 */
struct vfio_cap_type {
	int	size;
	int	(*len)(struct vfio_pci_device *vdev, int pos);
	void	(*perms)(struct vfio_pci_device *vdev, int pos, int len);
};

static const struct vfio_cap_type vfio_caps[PCI_CAP_ID_MAX + 1] = {
	[PCI_CAP_ID_PM] = {
		.size = PCI_PM_SIZEOF,
		.perms = vfio_cfg_pm_perms,
	},
	[PCI_CAP_ID_AGP] = { .size = PCI_AGP_SIZEOF },
	[PCI_CAP_ID_VPD] = {
		.size = PCI_CAP_VPD_SIZEOF,
		.perms = vfio_cfg_vpd_perms,
	},
	[PCI_CAP_ID_MSI] = {
		.len = vfio_cap_msi_len,
		.perms = vfio_cfg_msi_perms,
	},
	[PCI_CAP_ID_PCIX] = {
		.len = vfio_cap_pcix_len,
		.perms = vfio_cfg_pcix_perms,
	},
	[PCI_CAP_ID_HT] = { .len = vfio_cap_ht_len },
	[PCI_CAP_ID_VNDR] = {
		.len = vfio_cap_vndr_len,
		.perms = vfio_cfg_vndr_perms,
	},
	[PCI_CAP_ID_EXP] = {
		.len = vfio_cap_exp_len,
		.perms = vfio_cfg_exp_perms,
	},
	[PCI_CAP_ID_MSIX] = { .size = PCI_CAP_MSIX_SIZEOF },
	[PCI_CAP_ID_SATA] = { .len = vfio_cap_sata_len },
	[PCI_CAP_ID_AF] = {
		.size = PCI_CAP_AF_SIZEOF,
		.perms = vfio_cfg_af_perms,
	},
};

static const struct vfio_cap_type vfio_ecaps[PCI_EXT_CAP_ID_MAX + 1] = {
	[PCI_EXT_CAP_ID_ERR] = {
		.size = PCI_ERR_ROOT_COMMAND,
		.perms = vfio_cfg_err_perms,
	},
	[PCI_EXT_CAP_ID_VC] = { .len = vfio_vc_cap_len },
	[PCI_EXT_CAP_ID_DSN] = { .size = PCI_EXT_CAP_DSN_SIZEOF },
	[PCI_EXT_CAP_ID_PWR] = {
		.size = PCI_EXT_CAP_PWR_SIZEOF,
		.perms = vfio_cfg_pwr_perms,
	},
	[PCI_EXT_CAP_ID_MFVC] = { .len = vfio_vc_cap_len },
	[PCI_EXT_CAP_ID_VC9] = { .len = vfio_vc_cap_len },
	[PCI_EXT_CAP_ID_VNDR] = {
		.len = vfio_ecap_vndr_len,
		.perms = vfio_cfg_evndr_perms,
	},
	[PCI_EXT_CAP_ID_ACS] = { .len = vfio_ecap_acs_len },
	[PCI_EXT_CAP_ID_ARI] = { .size = PCI_EXT_CAP_ARI_SIZEOF },
	[PCI_EXT_CAP_ID_ATS] = { .size = PCI_EXT_CAP_ATS_SIZEOF },
	[PCI_EXT_CAP_ID_SRIOV] = { .size = PCI_EXT_CAP_SRIOV_SIZEOF },
	[PCI_EXT_CAP_ID_MCAST] = { .size = PCI_EXT_CAP_MCAST_ENDPOINT_SIZEOF },
	[PCI_EXT_CAP_ID_PRI] = { .size = PCI_EXT_CAP_PRI_SIZEOF },
	[PCI_EXT_CAP_ID_REBAR] = { .len = vfio_ecap_rebar_len },
	[PCI_EXT_CAP_ID_DPA] = { .len = vfio_ecap_dpa_len },
	[PCI_EXT_CAP_ID_TPH] = { .len = vfio_ecap_tph_len },
	[PCI_EXT_CAP_ID_LTR] = { .size = PCI_EXT_CAP_LTR_SIZEOF },
};

/* The length of a capability of @type (NULL: an ID beyond the table) */
static int vfio_cap_type_len(struct vfio_pci_device *vdev,
			     const struct vfio_cap_type *type, int pos)
{
	if (!type)
		return 0;
	return type->len ? type->len(vdev, pos) : type->size;
}

/*
 * Shows the @len bytes at @pos as a capability of @owner (in cfg_map):
 * copies them into vconfig, makes the first @hdr of them (ID and next
 * pointer, which vfio-pci rewrites) virtual and read-only, and gives
 * its registers the permissions of @type, if any.
 */
static int vfio_cap_show(struct vfio_pci_device *vdev, int pos, int len,
			 int hdr, u8 owner, const struct vfio_cap_type *type)
{
	int ret;

	vfio_cfg_claim(vdev, pos, len, owner);
	ret = vfio_fill_vconfig(vdev, pos, len);
	if (ret)
		return ret;
	cfg_perm(vdev, pos, min(len, hdr), ALL_VIRT, 0);
	if (type && type->perms)
		type->perms(vdev, pos, len);
	return 0;
}

static int vfio_cap_init(struct vfio_pci_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	int loops, caps = 0, prev = PCI_CAPABILITY_LIST;
	const struct vfio_cap_type *type;
	u8 pos, cap, next;
	u16 status;
	int ret, len;

	ret = pci_read_config_word(pdev, PCI_STATUS, &status);
	if (ret)
		return pcibios_err_to_errno(ret);
	if (!(status & PCI_STATUS_CAP_LIST))
		return 0;

	ret = pci_read_config_byte(pdev, PCI_CAPABILITY_LIST, &pos);
	if (ret)
		return pcibios_err_to_errno(ret);

	loops = (PCI_CFG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF) / PCI_CAP_SIZEOF;
	for (pos &= ~3; pos && loops--; pos = next) {
		if (pos < PCI_STD_HEADER_SIZEOF) {
			pci_warn(pdev, "%s: capability pointer %#x into the header\n",
				 __func__, pos);
			vdev->vconfig[prev] = 0;
			break;
		}

		ret = pci_read_config_byte(pdev, pos + PCI_CAP_LIST_ID, &cap);
		if (!ret)
			ret = pci_read_config_byte(pdev,
						   pos + PCI_CAP_LIST_NEXT,
						   &next);
		if (ret)
			return pcibios_err_to_errno(ret);
		next &= ~3;

		/* ID 0 is a null capability: it has no entry */
		type = cap < ARRAY_SIZE(vfio_caps) ? &vfio_caps[cap] : NULL;
		len = vfio_cap_type_len(vdev, type, pos);
		if (len < 0)
			return len;
		if (!len) {
			pci_info(pdev, "%s: hiding cap %#x@%#x\n", __func__,
				 cap, pos);
			vdev->vconfig[prev] = next;
			continue;
		}
		len = min(len, PCI_CFG_SPACE_SIZE - pos);

		/* ID and next are virtual: the list is ours */
		ret = vfio_cap_show(vdev, pos, len, PCI_CAP_LIST_NEXT + 1, cap,
				    type);
		if (ret)
			return ret;
		vdev->vconfig[pos + PCI_CAP_LIST_NEXT] = next;

		prev = pos + PCI_CAP_LIST_NEXT;
		caps++;
	}

	if (!caps) {
		u16 vstatus = vconfig_word(vdev, PCI_STATUS);

		cfg_set(vdev->vconfig, PCI_STATUS, 2,
			vstatus & ~PCI_STATUS_CAP_LIST);
	}
	return 0;
}

static void vfio_ecap_set_next(struct vfio_pci_device *vdev, int pos, u16 next)
{
	u32 hdr = cfg_get(vdev->vconfig, pos, 4);

	hdr &= ~VFIO_ECAP_NEXT_MASK;
	hdr |= (u32)next << VFIO_ECAP_NEXT_SHIFT;
	cfg_set(vdev->vconfig, pos, 4, hdr);
}

static int vfio_ecap_init(struct vfio_pci_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	int loops, ecaps = 0, prev = 0, epos = PCI_CFG_SPACE_SIZE;
	const struct vfio_cap_type *type;
	int ret, len;

	if (!vdev->extended_caps)
		return 0;

	loops = (pdev->cfg_size - PCI_CFG_SPACE_SIZE) / PCI_CAP_SIZEOF;
	while (loops-- && epos >= PCI_CFG_SPACE_SIZE) {
		bool hidden;
		u32 header;
		u16 ecap;

		ret = pci_read_config_dword(pdev, epos, &header);
		if (ret)
			return pcibios_err_to_errno(ret);

		ecap = PCI_EXT_CAP_ID(header);
		type = ecap < ARRAY_SIZE(vfio_ecaps) ? &vfio_ecaps[ecap] : NULL;
		len = vfio_cap_type_len(vdev, type, epos);
		if (len < 0)
			return len;

		hidden = !len;
		if (hidden) {
			pci_info(pdev, "%s: hiding ecap %#x@%#x\n", __func__,
				 ecap, epos);
			/* Unlink it, unless it is the first of the list */
			if (prev) {
				epos = PCI_EXT_CAP_NEXT(header);
				vfio_ecap_set_next(vdev, prev, epos);
				continue;
			}
			/* Then it stays, showing only the next pointer */
			len = PCI_CAP_SIZEOF;
			type = NULL;
		}
		len = min(len, pdev->cfg_size - epos);

		/* The header is virtual: the list is ours */
		ret = vfio_cap_show(vdev, epos, len, 4,
				    hidden ? VFIO_CFG_HIDDEN : ecap, type);
		if (ret)
			return ret;

		if (hidden)
			cfg_set(vdev->vconfig, epos, 4,
				header & VFIO_ECAP_NEXT_MASK);
		else
			ecaps++;

		prev = epos;
		epos = PCI_EXT_CAP_NEXT(header);
	}

	/* Nothing to show: PCIe says ID 0, version 0, next 0 */
	if (!ecaps)
		cfg_set(vdev->vconfig, PCI_CFG_SPACE_SIZE, 4, 0);
	return 0;
}

/* The standard header in vconfig, as the user sees it */
static int vfio_cfg_header_init(struct vfio_pci_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	int ret, i;

	vfio_cfg_claim(vdev, 0, PCI_STD_HEADER_SIZEOF, VFIO_CFG_HEADER);
	vfio_cfg_header_perms(vdev);

	ret = vfio_fill_vconfig(vdev, 0, PCI_STD_HEADER_SIZEOF);
	if (ret)
		return ret;

	vdev->bardirty = true;

	/* BARs as the host set them, to restore them after a hidden reset */
	for (i = 0; i < PCI_STD_NUM_BARS; i++)
		vdev->rbar[i] = cfg_get(vdev->vconfig,
					PCI_BASE_ADDRESS_0 + 4 * i, 4);
	vdev->rbar[PCI_STD_NUM_BARS] = cfg_get(vdev->vconfig,
					       PCI_ROM_ADDRESS, 4);

	if (pdev->is_virtfn) {
		cfg_set(vdev->vconfig, PCI_VENDOR_ID, 2, pdev->vendor);
		cfg_set(vdev->vconfig, PCI_DEVICE_ID, 2, pdev->device);
		/* SR-IOV: VFs have no INTx, whatever the pin register says */
		vdev->vconfig[PCI_INTERRUPT_PIN] = 0;
	}

	/* Such devices (VFs...) have memory enabled without the bit */
	if (pdev->no_command_memory)
		cfg_set(vdev->vconfig, PCI_COMMAND, 2,
			vconfig_word(vdev, PCI_COMMAND) | PCI_COMMAND_MEMORY);

	if (vdev->nointx || pdev->irq == IRQ_NOTCONNECTED)
		vdev->vconfig[PCI_INTERRUPT_PIN] = 0;
	return 0;
}

/* Called by open_device, after pci_enable_device() */
int vfio_pci_config_init(struct vfio_pci_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	int size = pdev->cfg_size;
	u32 dword;
	u8 *maps;
	int ret;

	maps = vfio_fail_ptr(kzalloc(4 * size, GFP_KERNEL_ACCOUNT));
	if (!maps)
		return -ENOMEM;
	vdev->vconfig = maps;
	vdev->vmask = maps + size;
	vdev->wmask = maps + 2 * size;
	vdev->cfg_map = maps + 3 * size;

	/* Outside the header, bytes are raw until a capability claims them */
	memset(vdev->cfg_map, VFIO_CFG_RAW, size);
	memset(vdev->wmask, 0xff, size);

	vdev->msi_pos = 0;
	vdev->pm_pos = 0;
	vdev->exp_pos = 0;
	vdev->af_pos = 0;
	vdev->vpd_pos = 0;

	ret = vfio_cfg_header_init(vdev);
	if (ret)
		goto out_free;

	ret = vfio_cap_init(vdev);
	if (ret)
		goto out_free;

	vdev->extended_caps = false;
	if (size > PCI_CFG_SPACE_SIZE &&
	    !pci_read_config_dword(pdev, PCI_CFG_SPACE_SIZE, &dword))
		vdev->extended_caps = dword && dword != ~0U;

	ret = vfio_ecap_init(vdev);
	if (ret)
		goto out_free;
	return 0;

out_free:
	vfio_pci_config_free(vdev);
	return ret;
}

void vfio_pci_config_free(struct vfio_pci_device *vdev)
{
	kfree(vdev->vconfig);
	vdev->vconfig = NULL;
	vdev->vmask = NULL;
	vdev->wmask = NULL;
	vdev->cfg_map = NULL;
}

/* One piece: @n bytes at @pos, naturally aligned, of one owner */
static int vfio_cfg_read_piece(struct vfio_pci_device *vdev, int pos, int n,
			       u32 *val)
{
	lockdep_assert_held(&vdev->config_lock);

	if (pos < PCI_STD_HEADER_SIZEOF)
		return vfio_cfg_header_read(vdev, pos, n, val);

	return vfio_cfg_default_read(vdev, pos, n, val);
}

static int vfio_cfg_write_piece(struct vfio_pci_device *vdev, int pos, int n,
				u32 val)
{
	u8 owner = vdev->cfg_map[pos];
	bool std = pos < PCI_CFG_SPACE_SIZE;
	u16 exp_ctrl = 0;
	int ret;

	lockdep_assert_held(&vdev->config_lock);

	if (pos < PCI_STD_HEADER_SIZEOF)
		return vfio_cfg_header_write(vdev, pos, n, val);

	if (std && owner == PCI_CAP_ID_EXP && vdev->exp_pos)
		exp_ctrl = vconfig_word(vdev, vdev->exp_pos + PCI_EXP_DEVCTL);

	ret = vfio_cfg_default_write(vdev, pos, n, val);
	if (ret || !std)
		return ret;

	switch (owner) {
	case PCI_CAP_ID_PM:
		if (vdev->pm_pos)
			vfio_cfg_pm_write(vdev, pos, val);
		break;
	case PCI_CAP_ID_VPD:
		if (vdev->vpd_pos)
			vfio_cfg_vpd_write(vdev, pos, n);
		break;
	case PCI_CAP_ID_EXP:
		if (vdev->exp_pos)
			vfio_cfg_exp_write(vdev, exp_ctrl);
		break;
	case PCI_CAP_ID_AF:
		if (vdev->af_pos)
			vfio_cfg_af_write(vdev);
		break;
	case PCI_CAP_ID_MSI:
		if (vdev->msi_pos)
			vfio_cfg_msi_write(vdev, pos, n);
		break;
	}
	return 0;
}

/* Size of the next piece of an access of @count bytes at @pos */
static int vfio_cfg_piece(struct vfio_pci_device *vdev, int pos, size_t count)
{
	u8 owner = vdev->cfg_map[pos];
	size_t same = 1;

	/* Bytes left in this dword that belong to the same owner */
	while (same < count && (pos + same) % 4 &&
	       vdev->cfg_map[pos + same] == owner)
		same++;

	if (same >= 4 && !(pos % 4))
		return 4;
	if (same >= 2 && !(pos % 2))
		return 2;
	return 1;
}

ssize_t vfio_pci_config_rw(struct vfio_pci_device *vdev, char __user *buf,
			   size_t count, loff_t *ppos, bool iswrite)
{
	loff_t pos = *ppos & VFIO_PCI_OFFSET_MASK;
	size_t done = 0;
	u8 bytes[4];
	u32 val;
	int n, ret;

	/* Like upstream: outside config space is -EFAULT, not -EINVAL */
	if (pos >= vdev->pdev->cfg_size ||
	    count > vdev->pdev->cfg_size - pos)
		return -EFAULT;

	while (count) {
		n = vfio_cfg_piece(vdev, pos, count);

		if (iswrite) {
			if (copy_from_user(bytes, buf, n))
				return -EFAULT;
			val = cfg_get(bytes, 0, n);

			mutex_lock(&vdev->config_lock);
			ret = vfio_cfg_write_piece(vdev, pos, n, val);
			mutex_unlock(&vdev->config_lock);
			if (ret)
				return ret;
		} else {
			mutex_lock(&vdev->config_lock);
			ret = vfio_cfg_read_piece(vdev, pos, n, &val);
			mutex_unlock(&vdev->config_lock);
			if (ret)
				return ret;

			cfg_set(bytes, 0, n, val);
			if (copy_to_user(buf, bytes, n))
				return -EFAULT;
		}

		count -= n;
		done += n;
		buf += n;
		pos += n;
	}

	*ppos += done;
	return done;
}

#if IS_ENABLED(CONFIG_VFIO_KUNIT_TEST)
#include "vfio_pci_config_test.c"
#endif
